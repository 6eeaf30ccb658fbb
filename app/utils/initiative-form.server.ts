import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect } from "@remix-run/node";

import { isVersionConflict } from "../models/initiative-conflicts.server";
import {
  createInitiative,
  updateInitiative,
  type InitiativeInput,
} from "../models/initiative-writes.server";
import type { InitiativeDetail } from "../models/initiatives.server";
import type { AuthUser } from "./auth.server";
import { InitiativeFormSchema, type InitiativeForm } from "./initiative-schemas";
import { renderMarkdown } from "./markdown.server";
import { limitReached } from "./rate-limit.server";
import { formRateLimited, invariantResponse } from "./replies.server";

function toInput(
  value: InitiativeForm,
  members: Array<{ userId: string; name: string; jobTitle: string }>,
): InitiativeInput {
  const byId = new Map(members.map((m) => [m.userId, m]));
  return {
    title: value.title,
    summary: value.summary,
    body: value.body,
    themes: value.themes,
    tags: value.tags,
    startYear: value.startYear ?? null,
    budgetBracket: value.budgetBracket ?? null,
    links: value.links,
    status: value.status,
    inspiredBy: value.inspiredBy || null,
    contributors: [
      ...value.memberContributors.map((userId) => ({
        userId,
        name: byId.get(userId)?.name ?? "Membre",
        role: "",
      })),
      ...value.otherContributors,
    ],
  };
}

/** What the edit form shows for an existing initiative. */
export function formDefaults(initiative: InitiativeDetail) {
  return {
    title: initiative.title,
    summary: initiative.summary,
    body: initiative.body,
    themes: initiative.themes,
    tags: initiative.tags.join(", "),
    startYear: initiative.startYear ? String(initiative.startYear) : "",
    budgetBracket: initiative.budgetBracket ?? "",
    links: initiative.links.map((l) => (l.label ? `${l.label} | ${l.url}` : l.url)).join("\n"),
    memberContributors: initiative.contributors.flatMap((c) => (c.userId ? [c.userId] : [])),
    otherContributors: initiative.contributors
      .filter((c) => !c.userId)
      .map((c) => (c.role ? `${c.name}, ${c.role}` : c.name))
      .join("\n"),
    inspiredBy: initiative.inspiredBy ? `/initiatives/${initiative.inspiredBy.slug}` : "",
    status: initiative.status,
  };
}

/**
 * The action of the create and edit pages: "Prévisualiser" re-renders the form with the
 * preview (nothing saved), "Enregistrer" validates and saves then redirects to the initiative,
 * or answers 400 with an error on each field and every value kept; 409 when someone else saved
 * the initiative since the form was opened, with the version to base a new save on.
 */
export async function handleInitiativeForm(
  user: AuthUser,
  formData: FormData,
  target: { mode: "create" } | { mode: "edit"; id: string },
  members: Array<{ userId: string; name: string; jobTitle: string }>,
) {
  const submission = parseWithZod(formData, { schema: InitiativeFormSchema });
  const previewHtml = renderMarkdown(String(formData.get("body") ?? ""));
  // `version` is set only by a conflict: the form then bases its next save on it.
  const reply = (
    status: number,
    options: Parameters<typeof submission.reply>[0] = {},
    version?: number,
  ) => json({ result: submission.reply(options), previewHtml, version }, { status });
  if (formData.get("intent") === "preview") return reply(200);
  if (submission.status !== "success") return reply(400);
  const limited = await limitReached("initiative-write", user.id);
  if (limited)
    return formRateLimited(limited, submission, {
      extra: { previewHtml, version: undefined as number | undefined },
    });
  const input = toInput(submission.value, members);
  const saved =
    target.mode === "create"
      ? await createInitiative(user, {
          ...input,
          collectivityCode: submission.value.collectivityCode || undefined,
        })
      : await updateInitiative(user, { id: target.id }, input, submission.value.version);
  if (saved.ok) {
    const notice =
      target.mode === "edit" ? "modifiee" : input.status !== "draft" ? "publiee" : "enregistree";
    return redirect(`/initiatives/${saved.value.slug}?${notice}=1`);
  }
  invariantResponse(saved.status !== 404, "Initiative introuvable.");
  invariantResponse(saved.status !== 403, saved.formError ?? "Accès refusé.", 403);
  const fieldErrors = { ...saved.fieldErrors };
  // Errors on member credits are shown beside the member checkboxes.
  if (fieldErrors.contributors) fieldErrors.memberContributors = fieldErrors.contributors;
  const formErrors = saved.formError ? [saved.formError] : undefined;
  return isVersionConflict(saved)
    ? reply(409, { fieldErrors, formErrors }, saved.currentVersion)
    : reply(400, { fieldErrors, formErrors });
}
