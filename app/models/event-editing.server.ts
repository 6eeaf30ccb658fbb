import { eq, sql } from "drizzle-orm";

import { db, type Executor, type Transaction } from "../../db/client";
import { eventOrganisers, eventRegistrations, events } from "../../db/schema";
import { EVENTS_INDEX } from "../../search/events";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { formatInZone, formatRange, zoneLabel } from "../utils/dates";
import { randomId } from "../utils/ids.server";
import { pageTags } from "../utils/page-cache.server";
import { firstFreeSlug } from "../utils/slugs.server";
import { slugify } from "../utils/text";
import { pagesChanged } from "./after-commit.server";
import { approvedCollectivityOf } from "./collectivities.server";
import {
  asInput,
  normalise,
  staleVersion,
  type EventPatch,
  type Normalised,
} from "./event-input.server";
import { fillFromWaitlist, scheduleBroadcast } from "./event-waitlist.server";
import { canManage, findEvent, type EventDetail, type EventInput } from "./events.server";
import { deliver, notify, type SavedNotification } from "./notifications.server";
import { failure, isUniqueViolation, type Result } from "./result.server";
import { enqueueIndexing } from "./search-outbox.server";

/**
 * Creating, changing and cancelling an event: the rules that span fields, the zone and area
 * derived from the place, the version check that keeps a second tab from overwriting a save, and
 * the notifications that tell registered people.
 */

const RESERVED_SLUGS = new Set(["nouveau", "calendrier", "mes-evenements", "series"]);

async function uniqueSlug(executor: Executor, title: string, startsAt: Date) {
  const base = slugify(title, 70) || "evenement";
  const dated = `${base}-${startsAt.getUTCFullYear()}`;
  return firstFreeSlug([base, dated], {
    reserved: RESERVED_SLUGS,
    isTaken: async (slug) =>
      (await executor.select({ id: events.id }).from(events).where(eq(events.slug, slug))).length >
      0,
    fallback: `${base}-${randomId(3)}`,
  });
}

/** Creates an event hosted by the organiser's collectivity (or the one an admin names). */
export async function createEvent(
  viewer: AuthUser,
  input: EventInput,
): Promise<Result<{ id: string; slug: string }>> {
  if (!hasRole(viewer, "organiser")) {
    return failure(
      403,
      {},
      "Seuls les organisateurs et organisatrices peuvent créer un événement.",
    );
  }
  let hostCode = await approvedCollectivityOf(viewer.id);
  if (hasRole(viewer, "admin") && input.collectivityCode) hostCode = input.collectivityCode;
  if (!hostCode) {
    return failure(
      403,
      {},
      "Votre adhésion à une collectivité doit être validée avant d'organiser un événement.",
    );
  }
  return insertEvent(viewer, input, hostCode);
}

/**
 * Writes a new event hosted by `hostCode`, with the viewer as its first organiser; `alongside`
 * writes in the same transaction (a stage's link to its series). Callers check who may do it.
 */
export async function insertEvent(
  viewer: AuthUser,
  input: EventInput,
  hostCode: string,
  alongside?: (tx: Transaction, eventId: string) => Promise<void>,
): Promise<Result<{ id: string; slug: string }>> {
  const checked = await normalise(db, input, hostCode);
  if (!checked.ok) return checked;
  const values = checked.value.values;
  const id = randomId();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const slug = await uniqueSlug(db, input.title, values.startsAt as Date);
      await db.transaction(async (tx) => {
        await tx.insert(events).values({
          ...values,
          id,
          slug,
          collectivityCode: hostCode,
          createdBy: viewer.id,
          publishedAt: values.status === "published" ? new Date() : null,
        });
        await tx.insert(eventOrganisers).values({ eventId: id, userId: viewer.id });
        await enqueueIndexing(tx, EVENTS_INDEX, id);
        await alongside?.(tx, id);
      });
      await pagesChanged(eventPages(id));
      return { ok: true, value: { id, slug } };
    } catch (error) {
      // Two events with the same title at once: pick another slug.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return failure(409, { title: ["Un événement porte déjà ce titre ; précisez-le."] });
}

/**
 * Updates an event. 404 when the viewer cannot see it, 403 when they see it but do not organise
 * it. With `version` (the `sequence` the form or API client read), a save made meanwhile gives a
 * 409 naming what is saved now, and nothing is written. Lowering the capacity below the
 * confirmed count drops nobody (see `capacityRule`); raising it promotes from the waitlist in
 * order.
 */
export async function updateEvent(
  viewer: AuthUser,
  eventId: string,
  patch: EventPatch,
  options: { version?: number } = {},
): Promise<Result<{ id: string; slug: string; version: number }>> {
  const outcome = await db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ id: events.id })
      .from(events)
      .where(eq(events.id, eventId))
      .for("update");
    const current = locked ? await findEvent(eq(events.id, eventId), viewer, tx) : null;
    if (!current) return { result: failure(404, {}, "Événement introuvable.") };
    if (!(await canManage(viewer, eventId, tx))) {
      return {
        result: failure(403, {}, "Seuls les organisateurs de cet événement peuvent le modifier."),
      };
    }
    if (current.status === "cancelled") {
      return {
        result: failure(409, {}, "Cet événement est annulé : il ne peut plus être modifié."),
      };
    }
    if (options.version !== undefined && options.version !== current.sequence) {
      return { result: staleVersion(current, patch) };
    }
    const saved = { id: current.id, slug: current.slug, version: current.sequence + 1 };
    if (patch.status === "cancelled") {
      const deliveries = await cancelLocked(tx, current);
      return { result: { ok: true as const, value: saved }, deliveries, places: true };
    }
    if (
      patch.status === "draft" &&
      current.status === "published" &&
      current.confirmed + current.waitlisted > 0
    ) {
      return {
        result: failure(409, {
          status: [
            "Des personnes sont inscrites : annulez l'événement plutôt que de le dépublier.",
          ],
        }),
      };
    }
    const merged: EventInput = {
      ...asInput(current),
      ...patch,
      status: (patch.status ?? (current.status as "draft" | "published")) as "draft" | "published",
    };
    const checked = await normalise(tx, merged, current.collectivityCode);
    if (!checked.ok) return { result: checked };
    const values = checked.value.values;
    await tx
      .update(events)
      .set({
        ...values,
        sequence: sql`${events.sequence} + 1`,
        updatedAt: new Date(),
        publishedAt: current.publishedAt ?? (values.status === "published" ? new Date() : null),
      })
      .where(eq(events.id, eventId));
    const promoted = await fillFromWaitlist(tx, { ...current, capacity: values.capacity ?? null });
    await enqueueIndexing(tx, EVENTS_INDEX, eventId);
    const capacityChanged = current.capacity !== (values.capacity ?? null);
    // People registered hear about a new date, place or link, as they would from Mobilizon.
    const moved =
      current.status === "published" &&
      ((values.startsAt as Date).getTime() !== current.startsAt.getTime() ||
        (values.endsAt as Date).getTime() !== current.endsAt.getTime() ||
        (values.venue ?? "") !== current.venue ||
        (values.communeCode ?? null) !== current.communeCode ||
        (values.onlineUrl ?? null) !== current.onlineUrl);
    const changed = moved ? await notifyChange(tx, current, values) : [];
    return {
      result: { ok: true as const, value: saved },
      deliveries: [...promoted, ...changed],
      places: capacityChanged || promoted.length > 0,
    };
  });
  if (outcome.result.ok) await pagesChanged(eventPages(eventId));
  await deliver(outcome.deliveries ?? []);
  if ("places" in outcome && outcome.places) scheduleBroadcast(eventId);
  return outcome.result;
}

/** An event's own page, and the lists that may show it (its date, place or status changed). */
const eventPages = (eventId: string) => [pageTags.event(eventId), pageTags.events];

async function notifyChange(
  tx: Transaction,
  event: EventDetail,
  values: Normalised["values"],
): Promise<SavedNotification[]> {
  const registered = await tx
    .select({ userId: eventRegistrations.userId })
    .from(eventRegistrations)
    .where(eq(eventRegistrations.eventId, event.id));
  const zone = values.timeZone ?? event.timeZone;
  return notify(
    tx,
    registered.map((r) => r.userId),
    {
      kind: "event-changed",
      title: `Événement modifié : ${values.title ?? event.title}`,
      body: `Vérifiez la date, le lieu et le lien : l'événement a lieu ${formatRange(values.startsAt as Date, values.endsAt as Date, zone)} (${zoneLabel(zone)}).`,
      url: `/evenements/${event.slug}`,
    },
  );
}

async function cancelLocked(tx: Transaction, event: EventDetail): Promise<SavedNotification[]> {
  await tx
    .update(events)
    .set({
      status: "cancelled",
      cancelledAt: new Date(),
      updatedAt: new Date(),
      sequence: sql`${events.sequence} + 1`,
    })
    .where(eq(events.id, event.id));
  await enqueueIndexing(tx, EVENTS_INDEX, event.id);
  const registered = await tx
    .select({ userId: eventRegistrations.userId })
    .from(eventRegistrations)
    .where(eq(eventRegistrations.eventId, event.id));
  return notify(
    tx,
    registered.map((r) => r.userId),
    {
      kind: "event-cancelled",
      title: `Événement annulé : ${event.title}`,
      body: `L'événement prévu le ${formatInZone(event.startsAt, event.timeZone)} est annulé par ses organisateurs.`,
      url: `/evenements/${event.slug}`,
    },
  );
}

/** Cancels an event: registrations close, registered people are notified, calendars follow. */
export async function cancelEvent(viewer: AuthUser, eventId: string) {
  return updateEvent(viewer, eventId, { status: "cancelled" });
}
