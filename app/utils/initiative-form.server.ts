import { parseWithZod } from "@conform-to/zod/v4";

import {
  createInitiative,
  updateInitiative,
  type InitiativeDetail,
  type InitiativeInput,
} from "../models/initiatives.server";
import type { AuthUser } from "./auth.server";
import { InitiativeFormSchema, type InitiativeForm } from "./initiative-schemas";
import { renderMarkdown } from "./markdown.server";
import { consume, RateLimitedError, retryAfterMessage } from "./rate-limit.server";

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
 * preview (nothing saved), "Enregistrer" validates and saves, or answers 400 with an error
 * on each field and every value kept.
 */
export async function handleInitiativeForm(
  user: AuthUser,
  formData: FormData,
  target: { mode: "create" } | { mode: "edit"; id: string },
  members: Array<{ userId: string; name: string; jobTitle: string }>,
) {
  const submission = parseWithZod(formData, { schema: InitiativeFormSchema });
  const previewHtml = renderMarkdown(String(formData.get("body") ?? ""));
  if (formData.get("intent") === "preview") {
    return { status: 200, result: submission.reply(), previewHtml } as const;
  }
  if (submission.status !== "success") {
    return { status: 400, result: submission.reply(), previewHtml } as const;
  }
  try {
    await consume("initiative-write", user.id);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    return {
      status: 429,
      result: submission.reply({ formErrors: [retryAfterMessage(error.retryAfterSeconds)] }),
      previewHtml,
    } as const;
  }
  const input = toInput(submission.value, members);
  const saved =
    target.mode === "create"
      ? await createInitiative(user, {
          ...input,
          collectivityCode: submission.value.collectivityCode || undefined,
        })
      : await updateInitiative(user, { id: target.id }, input);
  if (!saved.ok) {
    if (saved.status === 404) throw new Response("Initiative introuvable.", { status: 404 });
    if (saved.status === 403)
      throw new Response(saved.formError ?? "Accès refusé.", { status: 403 });
    const fieldErrors = { ...saved.fieldErrors };
    // Errors on member credits are shown beside the member checkboxes.
    if (fieldErrors.contributors) fieldErrors.memberContributors = fieldErrors.contributors;
    return {
      status: 400,
      result: submission.reply({
        fieldErrors,
        formErrors: saved.formError ? [saved.formError] : undefined,
      }),
      previewHtml,
    } as const;
  }
  return { status: 303, slug: saved.value.slug, published: input.status !== "draft" } as const;
}
