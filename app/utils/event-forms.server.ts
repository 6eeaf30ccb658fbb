import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect } from "@remix-run/node";
import type { z } from "zod";

import type { Candidate } from "../components/collectivity-picker";
import { resolveCollectivity } from "../models/collectivities.server";
import type { EventInput } from "../models/events.server";
import type { Result } from "../models/result.server";
import { hasRole, type AuthUser } from "./auth.server";
import { EventFormSchema, parseProgramme } from "./event-schemas";
import { limitReached } from "./rate-limit.server";
import { formRateLimited, refusedReply, refusedStatus } from "./replies.server";

type FormValue = z.output<typeof EventFormSchema>;

/** Model field names → form field names, to put each model error next to its input. */
const formFieldOf: Record<string, string> = { communeCode: "commune", collectivityCode: "host" };

export function toFormErrors(fieldErrors: Record<string, string[]>) {
  return Object.fromEntries(
    Object.entries(fieldErrors).map(([key, messages]) => [formFieldOf[key] ?? key, messages]),
  );
}

/**
 * Turns the submitted form into the model's input: resolves the commune typed in the picker,
 * reads the programme lines, splits the initiative ids.
 */
export async function eventInputFromForm(
  value: FormValue,
  options: { admin: boolean },
): Promise<
  | { ok: true; input: EventInput }
  | { ok: false; fieldErrors: Record<string, string[]>; candidates: Candidate[] }
> {
  const fieldErrors: Record<string, string[]> = {};
  let candidates: Candidate[] = [];
  let communeCode: string | null = null;
  if (value.commune) {
    const resolution = await resolveCollectivity(value.commune);
    if (resolution.status === "found") communeCode = resolution.code;
    else if (resolution.status === "ambiguous") {
      candidates = resolution.candidates.filter((c) => c.kind === "commune");
      fieldErrors.commune = ["Plusieurs communes correspondent : choisissez-la ci-dessous."];
    } else fieldErrors.commune = ["Cette commune est introuvable dans l'annuaire."];
  }
  let collectivityCode: string | null = null;
  if (options.admin && value.host) {
    const resolution = await resolveCollectivity(value.host);
    if (resolution.status === "found") collectivityCode = resolution.code;
    else fieldErrors.host = ["Collectivité introuvable : choisissez-la dans la liste proposée."];
  }
  const programme = parseProgramme(value.programme ?? "", value.startsAt.slice(0, 10));
  if ("error" in programme) fieldErrors.programme = [programme.error];
  const initiativeIds = (value.initiativeIds ?? "")
    .split(/[\s,;]+/)
    .map((id) => id.trim())
    .filter(Boolean);
  if (initiativeIds.some((id) => !/^[a-z0-9-]{1,80}$/.test(id)) || initiativeIds.length > 20) {
    fieldErrors.initiativeIds = [
      "Identifiants invalides : lettres minuscules, chiffres et tirets, 20 au plus.",
    ];
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, candidates };
  return {
    ok: true,
    input: {
      title: value.title,
      description: value.description,
      themes: value.themes,
      format: value.format,
      startsAt: value.startsAt,
      endsAt: value.endsAt,
      registrationDeadline: value.registrationDeadline ?? null,
      venue: value.venue,
      communeCode,
      onlineUrl: value.onlineUrl ?? null,
      capacity: value.capacity ?? null,
      status: value.status,
      programme: "items" in programme ? programme.items : [],
      initiativeIds,
      collectivityCode,
    },
  };
}

/**
 * The action of an event's creation form (a new event, or a series' stage): 400 with errors by
 * field, 429 past the limit, the model's refusal next to its field, else the new event's page.
 */
export async function submitNewEvent(
  request: Request,
  user: AuthUser,
  save: (input: EventInput) => Promise<Result<{ slug: string }>>,
) {
  const submission = parseWithZod(await request.formData(), { schema: EventFormSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply(), candidates: [] as Candidate[] }, { status: 400 });
  }
  const converted = await eventInputFromForm(submission.value, { admin: hasRole(user, "admin") });
  if (!converted.ok) {
    return json(
      {
        result: submission.reply({ fieldErrors: converted.fieldErrors }),
        candidates: converted.candidates,
      },
      { status: 400 },
    );
  }
  const limited = await limitReached("event-write", user.id);
  if (limited)
    return formRateLimited(limited, submission, { extra: { candidates: [] as Candidate[] } });
  const created = await save(converted.input);
  if (!created.ok) {
    return json(
      {
        result: refusedReply(submission, {
          ...created,
          fieldErrors: toFormErrors(created.fieldErrors),
        }),
        candidates: [] as Candidate[],
      },
      { status: refusedStatus(created.status) },
    );
  }
  return redirect(`/evenements/${created.value.slug}?inscription=cree`);
}
