import { and, eq, isNull } from "drizzle-orm";

import { db } from "../../db/client";
import {
  collectivities,
  eventSeries,
  eventSeriesHosts,
  eventSeriesStages,
  type EventSeriesStatus,
} from "../../db/schema";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { randomId } from "../utils/ids.server";
import { pageTags } from "../utils/page-cache.server";
import { firstFreeSlug } from "../utils/slugs.server";
import { slugify } from "../utils/text";
import { pagesChanged } from "./after-commit.server";
import { approvedCollectivityOf, canManageMembers, referentsOf } from "./collectivities.server";
import { insertEvent } from "./event-editing.server";
import { canManageSeries, findSeries } from "./event-series.server";
import type { EventInput } from "./events.server";
import { deliver, notify } from "./notifications.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/**
 * Writing a series: creating and publishing it, inviting host collectivities, their référent's
 * answer, a host's stage (an ordinary event, linked in the same transaction) and detaching one.
 */

export type SeriesInput = { title: string; description: string; status: EventSeriesStatus };

const RESERVED_SLUGS = new Set(["nouveau"]);
const notFound = () => failure(404, {}, "Cycle d'événements introuvable.");
const organiserOnly = () =>
  failure(403, {}, "Action réservée à l'organisateur ou l'organisatrice du cycle.");

/** Creates a series; its creator (who holds the organiser role) organises it. */
export async function createSeries(
  viewer: AuthUser,
  input: SeriesInput,
): Promise<Result<{ id: string; slug: string }>> {
  if (!hasRole(viewer, "organiser")) {
    return failure(403, {}, "Seuls les organisateurs et organisatrices peuvent créer un cycle.");
  }
  const base = slugify(input.title, 70) || "cycle";
  const id = randomId();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const slug = await firstFreeSlug([base], {
      reserved: RESERVED_SLUGS,
      isTaken: async (candidate) =>
        (
          await db
            .select({ id: eventSeries.id })
            .from(eventSeries)
            .where(eq(eventSeries.slug, candidate))
        ).length > 0,
      fallback: `${base}-${randomId(3)}`,
    });
    try {
      await db.insert(eventSeries).values({
        id,
        slug,
        title: input.title,
        description: input.description,
        status: input.status,
        createdBy: viewer.id,
        publishedAt: input.status === "published" ? new Date() : null,
      });
      return { ok: true, value: { id, slug } };
    } catch (error) {
      // The same title submitted twice at once: the next attempt finds another slug.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return failure(409, { title: ["Un cycle porte déjà ce titre ; précisez-le."] });
}

/** Changes the title, presentation or status of a series (its organiser and admins). */
export async function updateSeries(
  viewer: AuthUser,
  seriesId: string,
  input: SeriesInput,
): Promise<Result<{ slug: string }>> {
  const series = await findSeries({ id: seriesId }, viewer);
  if (!series) return notFound();
  if (!canManageSeries(viewer, series)) return organiserOnly();
  await db
    .update(eventSeries)
    .set({
      title: input.title,
      description: input.description,
      status: input.status,
      updatedAt: new Date(),
      publishedAt: series.publishedAt ?? (input.status === "published" ? new Date() : null),
    })
    .where(eq(eventSeries.id, seriesId));
  // Each stage's page names its series (once it is published): they show the new title.
  const stages = await db
    .select({ eventId: eventSeriesStages.eventId })
    .from(eventSeriesStages)
    .where(and(eq(eventSeriesStages.seriesId, seriesId), isNull(eventSeriesStages.detachedAt)));
  await pagesChanged(stages.map((stage) => pageTags.event(stage.eventId)));
  return { ok: true, value: { slug: series.slug } };
}

/** Invites a collectivity to host a stage; a declined one may be invited again. */
export async function inviteHost(
  viewer: AuthUser,
  seriesId: string,
  collectivityCode: string,
): Promise<Result<{ name: string }>> {
  const series = await findSeries({ id: seriesId }, viewer);
  if (!series) return notFound();
  if (!canManageSeries(viewer, series)) return organiserOnly();
  const [collectivity] = await db
    .select({ name: collectivities.name })
    .from(collectivities)
    .where(eq(collectivities.code, collectivityCode));
  if (!collectivity) {
    return failure(422, { collectivity: ["Collectivité introuvable dans l'annuaire."] });
  }
  const invited = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(eventSeriesHosts)
      .values({ seriesId, collectivityCode })
      .onConflictDoUpdate({
        target: [eventSeriesHosts.seriesId, eventSeriesHosts.collectivityCode],
        set: { status: "invited", invitedAt: new Date(), decidedAt: null },
        setWhere: eq(eventSeriesHosts.status, "declined"),
      })
      .returning({ status: eventSeriesHosts.status });
    if (!row) return null;
    // The référent answers on the series page, where the invitation waits for them.
    return notify(tx, await referentsOf(collectivityCode, tx), {
      kind: "series-invitation",
      title: `Invitation à accueillir une étape : ${series.title}`,
      body: `${collectivity.name} est invitée à accueillir une étape de ce cycle. En tant que référent·e, acceptez ou déclinez l'invitation sur la page du cycle.`,
      url: `/evenements/series/${series.slug}`,
    });
  });
  if (!invited) {
    return failure(409, { collectivity: [`${collectivity.name} est déjà invitée dans ce cycle.`] });
  }
  await deliver(invited);
  return { ok: true, value: { name: collectivity.name } };
}

/**
 * The host's answer, given by its référent (or an admin). 404 when there is no pending
 * invitation for that collectivity in a series the viewer may see, 403 for its other members.
 */
export async function decideInvitation(
  viewer: AuthUser,
  seriesId: string,
  collectivityCode: string,
  decision: "accept" | "decline",
): Promise<Result<{ status: "accepted" | "declined" }>> {
  const series = await findSeries({ id: seriesId }, viewer);
  if (!series) return notFound();
  const pending = and(
    eq(eventSeriesHosts.seriesId, seriesId),
    eq(eventSeriesHosts.collectivityCode, collectivityCode),
    eq(eventSeriesHosts.status, "invited"),
  );
  const [invitation] = await db.select().from(eventSeriesHosts).where(pending);
  if (!invitation) return failure(404, {}, "Aucune invitation en attente pour cette collectivité.");
  if (!(await canManageMembers(viewer, collectivityCode))) {
    return failure(403, {}, "Seul le ou la référente de la collectivité répond à l'invitation.");
  }
  const status = decision === "accept" ? "accepted" : "declined";
  const [updated] = await db
    .update(eventSeriesHosts)
    .set({ status, decidedAt: new Date() })
    .where(pending)
    .returning({ status: eventSeriesHosts.status });
  // Answered meanwhile in another tab: the first answer stands.
  if (!updated) return failure(409, {}, "Cette invitation a déjà reçu une réponse.");
  return { ok: true, value: { status } };
}

class StageTaken extends Error {}

/**
 * A host's stage: an event created by an approved member of a collectivity whose invitation was
 * accepted (admins name the host), who then organises it like any event, without needing the
 * organiser role. One stage per host in a series.
 */
export async function createStage(
  viewer: AuthUser,
  seriesId: string,
  input: EventInput,
): Promise<Result<{ id: string; slug: string }>> {
  const series = await findSeries({ id: seriesId }, viewer);
  if (!series) return notFound();
  const hostCode =
    hasRole(viewer, "admin") && input.collectivityCode
      ? input.collectivityCode
      : await approvedCollectivityOf(viewer.id);
  const [host] = hostCode
    ? await db
        .select({ status: eventSeriesHosts.status })
        .from(eventSeriesHosts)
        .where(
          and(
            eq(eventSeriesHosts.seriesId, seriesId),
            eq(eventSeriesHosts.collectivityCode, hostCode),
            eq(eventSeriesHosts.status, "accepted"),
          ),
        )
    : [];
  if (!hostCode || !host) {
    return failure(
      403,
      {},
      "Seuls les membres d'une collectivité hôte (invitation acceptée par son référent) peuvent créer une étape de ce cycle.",
    );
  }
  const taken = failure(
    409,
    {},
    "Votre collectivité a déjà son étape dans ce cycle : modifiez-la.",
  );
  if (await attachedStageOf(seriesId, hostCode)) return taken;
  try {
    return await insertEvent(viewer, input, hostCode, async (tx, eventId) => {
      const linked = await tx
        .insert(eventSeriesStages)
        .values({ eventId, seriesId, hostCode })
        .onConflictDoNothing()
        .returning({ eventId: eventSeriesStages.eventId });
      // A colleague's stage committed between the check and now: undo this one.
      if (linked.length === 0) throw new StageTaken();
    });
  } catch (error) {
    if (error instanceof StageTaken) return taken;
    throw error;
  }
}

async function attachedStageOf(seriesId: string, hostCode: string) {
  const [row] = await db
    .select({ eventId: eventSeriesStages.eventId })
    .from(eventSeriesStages)
    .where(
      and(
        eq(eventSeriesStages.seriesId, seriesId),
        eq(eventSeriesStages.hostCode, hostCode),
        isNull(eventSeriesStages.detachedAt),
      ),
    );
  return row ?? null;
}

/**
 * Takes a stage out of the series (its organiser and admins). The event itself stays, with its
 * registrations, and its host's members keep managing it.
 */
export async function detachStage(
  viewer: AuthUser,
  seriesId: string,
  eventId: string,
): Promise<Result<{ eventId: string }>> {
  const series = await findSeries({ id: seriesId }, viewer);
  if (!series) return notFound();
  if (!canManageSeries(viewer, series)) return organiserOnly();
  const detached = await db
    .update(eventSeriesStages)
    .set({ detachedAt: new Date() })
    .where(
      and(
        eq(eventSeriesStages.seriesId, seriesId),
        eq(eventSeriesStages.eventId, eventId),
        isNull(eventSeriesStages.detachedAt),
      ),
    )
    .returning({ eventId: eventSeriesStages.eventId });
  if (detached.length === 0) return failure(404, {}, "Cette étape n'est pas dans le cycle.");
  await pagesChanged([pageTags.event(eventId)]);
  return { ok: true, value: { eventId } };
}
