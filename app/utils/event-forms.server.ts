import type { z } from "zod";

import type { Candidate } from "../components/collectivity-picker";
import { resolveCollectivity } from "../models/collectivities.server";
import type { EventInput } from "../models/events.server";
import { parseProgramme, type EventFormSchema } from "./event-schemas";

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
