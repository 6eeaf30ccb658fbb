import { eq } from "drizzle-orm";

import { type Executor } from "../../db/client";
import { collectivities, type events, type EventStatus } from "../../db/schema";
import { formatInZone, localToInstant, zoneForDepartment } from "../utils/dates";
import { formatLabels, statusLabels } from "../utils/event-schemas";
import { themeLabel } from "../utils/themes";
import type { EventDetail, EventInput } from "./events.server";
import { failure, type FieldErrors, type Result } from "./result.server";

/**
 * What an organiser sends for an event: checked across fields, with the zone and area derived
 * from the place; and, when it was based on an older version, compared with what is saved.
 */

const MAX_DURATION_MS = 31 * 24 * 60 * 60 * 1000;

export type Normalised = {
  values: Omit<typeof events.$inferInsert, "id" | "slug" | "collectivityCode" | "createdBy">;
};

async function collectivityRow(executor: Executor, code: string) {
  const [row] = await executor
    .select({
      code: collectivities.code,
      kind: collectivities.kind,
      name: collectivities.name,
      departmentCode: collectivities.departmentCode,
      regionCode: collectivities.regionCode,
    })
    .from(collectivities)
    .where(eq(collectivities.code, code));
  return row ?? null;
}

/** A local time read in `zone`, or an ISO 8601 instant with its offset; null when invalid. */
function parseWhen(value: string, zone: string): Date | null {
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) && value.includes("T") && value.length > 16) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return localToInstant(value, zone);
}

/** Checks the rules that span fields, and derives the zone and area from the place. */
export async function normalise(
  executor: Executor,
  input: EventInput,
  hostCode: string,
): Promise<Result<Normalised>> {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const hostRow = await collectivityRow(executor, hostCode);
  if (!hostRow) return failure(422, { collectivityCode: ["Collectivité introuvable."] });
  let place = hostRow;
  if (input.communeCode) {
    const row = await collectivityRow(executor, input.communeCode);
    if (!row || row.kind !== "commune")
      add("communeCode", "Cette commune est introuvable dans l'annuaire.");
    else place = row;
  }
  const physical = input.format !== "en-ligne";
  if (physical && !input.communeCode && !errors.communeCode) {
    add("communeCode", "Indiquez la commune où se tient l'événement.");
  }
  if (physical && !input.venue.trim()) add("venue", "Indiquez l'adresse du lieu.");
  if (input.format !== "presentiel" && !input.onlineUrl && input.status === "published") {
    add("onlineUrl", "Indiquez le lien de connexion (il ne sera montré qu'aux inscrits).");
  }
  const zone = zoneForDepartment(place.departmentCode);
  const startsAt = parseWhen(input.startsAt, zone);
  const endsAt = parseWhen(input.endsAt, zone);
  const nonexistent =
    "Cette date et heure n'existe pas dans le fuseau du lieu (passage à l'heure d'été) ou est invalide.";
  if (!startsAt) add("startsAt", nonexistent);
  if (!endsAt) add("endsAt", nonexistent);
  if (startsAt && endsAt) {
    if (endsAt.getTime() <= startsAt.getTime()) add("endsAt", "La fin doit être après le début.");
    else if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) {
      add("endsAt", "Un événement dure 31 jours au plus.");
    }
  }
  let deadline: Date | null = null;
  if (input.registrationDeadline) {
    deadline = parseWhen(input.registrationDeadline, zone);
    if (!deadline) add("registrationDeadline", nonexistent);
    else if (endsAt && deadline.getTime() > endsAt.getTime()) {
      add(
        "registrationDeadline",
        "La clôture des inscriptions doit précéder la fin de l'événement.",
      );
    }
  }
  if (Object.keys(errors).length > 0 || !startsAt || !endsAt) return failure(422, errors);
  return {
    ok: true,
    value: {
      values: {
        title: input.title,
        description: input.description,
        themes: [...new Set(input.themes)],
        format: input.format,
        startsAt,
        endsAt,
        timeZone: zone,
        venue: physical ? input.venue.trim() : "",
        communeCode: input.communeCode || null,
        departmentCode: place.departmentCode,
        regionCode: place.regionCode,
        onlineUrl: input.format === "presentiel" ? null : input.onlineUrl,
        capacity: input.capacity,
        registrationDeadline: deadline,
        programme: input.programme,
        initiativeIds: [...new Set(input.initiativeIds)],
        status: input.status,
      },
    },
  };
}

/** The stored event as an input, to merge a partial change (PATCH) into. */
export function asInput(event: EventDetail): EventInput {
  return {
    title: event.title,
    description: event.description,
    themes: event.themes,
    format: event.format,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    registrationDeadline: event.registrationDeadline?.toISOString() ?? null,
    venue: event.venue,
    communeCode: event.communeCode,
    onlineUrl: event.onlineUrl,
    capacity: event.capacity,
    status: event.status === "published" ? "published" : "draft",
    programme: event.programme,
    initiativeIds: event.initiativeIds,
  };
}

export type EventPatch = Omit<Partial<EventInput>, "status"> & { status?: EventStatus };

type Field = Exclude<keyof EventPatch & keyof EventDetail, "collectivityCode">;

const fieldNames: Record<Field, string> = {
  title: "titre",
  description: "présentation",
  themes: "thèmes",
  format: "format",
  startsAt: "début",
  endsAt: "fin",
  registrationDeadline: "clôture des inscriptions",
  venue: "adresse",
  communeCode: "commune",
  onlineUrl: "lien de connexion",
  capacity: "jauge",
  status: "statut",
  programme: "programme",
  initiativeIds: "initiatives présentées",
};

const quoted = (text: string) => (text.trim() ? `« ${text.trim()} »` : "vide");
const sameList = (a: readonly string[], b: readonly string[]) =>
  [...a].sort().join("\n") === [...b].sort().join("\n");

/** Whether the value sent for `field` is the one saved now (dates compared as instants). */
function sameAsSaved(field: Field, sent: unknown, saved: EventDetail): boolean {
  switch (field) {
    case "startsAt":
    case "endsAt":
    case "registrationDeadline": {
      const instant = sent ? parseWhen(String(sent), saved.timeZone) : null;
      return (instant?.getTime() ?? null) === (saved[field]?.getTime() ?? null);
    }
    case "themes":
    case "initiativeIds":
      return sameList((sent as string[] | undefined) ?? [], saved[field]);
    case "programme":
      return JSON.stringify(sent ?? []) === JSON.stringify(saved.programme);
    case "capacity":
      return (sent ?? null) === saved.capacity;
    case "communeCode":
    case "onlineUrl":
      return (sent || null) === saved[field];
    default:
      return String(sent ?? "").trim() === String(saved[field] ?? "").trim();
  }
}

/** The saved value of `field`, as the organiser reads it. */
function savedText(field: Field, saved: EventDetail): string {
  switch (field) {
    case "startsAt":
    case "endsAt":
    case "registrationDeadline": {
      const value = saved[field];
      return value ? formatInZone(value, saved.timeZone) : "aucune";
    }
    case "themes":
      return saved.themes.map(themeLabel).join(", ") || "aucun";
    case "initiativeIds":
      return saved.initiativeIds.join(", ") || "aucune";
    case "programme":
      return `${saved.programme.length} ligne${saved.programme.length > 1 ? "s" : ""}`;
    case "capacity":
      return saved.capacity === null ? "illimitée" : String(saved.capacity);
    case "communeCode":
      return saved.communeCode ? `${saved.communeName ?? ""} (${saved.communeCode})` : "aucune";
    case "format":
      return formatLabels[saved.format];
    case "status":
      return statusLabels[saved.status];
    case "description":
      return quoted(
        saved.description.length > 300 ? `${saved.description.slice(0, 300)}…` : saved.description,
      );
    default:
      return quoted(String(saved[field] ?? ""));
  }
}

/**
 * The 409 of a save based on an older version: nothing is written, the organiser keeps what they
 * typed, and each field they sent that differs from the saved event carries the saved value, so
 * they can see what changed before saving again.
 */
export function staleVersion(saved: EventDetail, sent: EventPatch) {
  const fieldErrors: FieldErrors = {};
  for (const field of Object.keys(fieldNames) as Field[]) {
    if (!(field in sent) || sameAsSaved(field, sent[field], saved)) continue;
    fieldErrors[field] = [`Version enregistrée entre-temps : ${savedText(field, saved)}.`];
  }
  const names = Object.keys(fieldErrors).map((field) => fieldNames[field as Field]);
  const which = names.length > 0 ? ` (${names.join(", ")})` : "";
  return failure(
    409,
    fieldErrors,
    `Cet événement a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert${which}. Rien n'a été enregistré et votre saisie est conservée : comparez-la avec la version enregistrée, indiquée sous chaque champ concerné, puis enregistrez de nouveau pour la remplacer.`,
  );
}
