import {
  and,
  desc,
  eq,
  ilike,
  inArray,
  isNull,
  ne,
  sql,
  type AnyColumn,
  type SQL,
} from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  eventOrganisers,
  events,
  forumCategories,
  forumPosts,
  forumTopics,
  initiativeContributors,
  initiatives,
  memberProfiles,
  memberships,
  users,
  type ProfileVisibility,
} from "../../db/schema";
import { MEMBERS_INDEX } from "../../search/members";
import type { AuthUser } from "../utils/auth.server";
import { markdownToText } from "../utils/markdown.server";
import { escapeLike } from "../utils/text";
import { postPath } from "./forums.server";
import { enqueueIndexing } from "./search-outbox.server";

/**
 * Members' public profiles ("qui contacter"): what each member chose to show, and who may see it.
 * A profile exists for approved members of a collectivity; it is shown to signed-in members by
 * default, to everyone only if the member opts in, and to nobody but its owner when hidden.
 */

export type ProfileViewer = Pick<AuthUser, "id"> | null;

export type ProfileSettings = {
  visibility: ProfileVisibility;
  bio: string;
  expertise: string[];
  showJobTitle: boolean;
  showCollectivity: boolean;
  showInitiatives: boolean;
  showEvents: boolean;
  showPosts: boolean;
  acceptsMessages: boolean;
};

export const defaultProfileSettings: ProfileSettings = {
  visibility: "members",
  bio: "",
  expertise: [],
  showJobTitle: true,
  showCollectivity: true,
  showInitiatives: true,
  showEvents: true,
  showPosts: true,
  acceptsMessages: true,
};

const settingsColumns = {
  visibility: memberProfiles.visibility,
  bio: memberProfiles.bio,
  expertise: memberProfiles.expertise,
  showJobTitle: memberProfiles.showJobTitle,
  showCollectivity: memberProfiles.showCollectivity,
  showInitiatives: memberProfiles.showInitiatives,
  showEvents: memberProfiles.showEvents,
  showPosts: memberProfiles.showPosts,
  acceptsMessages: memberProfiles.acceptsMessages,
};

export async function getProfileSettings(userId: string): Promise<ProfileSettings> {
  const [row] = await db
    .select(settingsColumns)
    .from(memberProfiles)
    .where(eq(memberProfiles.userId, userId));
  return row ?? defaultProfileSettings;
}

/** Saves what a member shows; the profile index follows through the outbox. */
export async function updateProfileSettings(userId: string, settings: ProfileSettings) {
  await db.transaction(async (tx) => {
    await tx
      .insert(memberProfiles)
      .values({ userId, ...settings, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: memberProfiles.userId,
        set: { ...settings, updatedAt: new Date() },
      });
    await enqueueIndexing(tx, MEMBERS_INDEX, userId);
  });
}

const visibility = sql<ProfileVisibility>`coalesce(${memberProfiles.visibility}, 'members')`;
const flag = (column: AnyColumn) => sql<boolean>`coalesce(${column}, true)`;

/**
 * Profiles the viewer may see: approved members, public ones for visitors, public and members'
 * ones for signed-in people, and always one's own.
 */
function visibleTo(viewer: ProfileViewer): SQL {
  const shown = viewer ? inArray(visibility, ["public", "members"]) : eq(visibility, "public");
  return viewer ? sql`(${shown} or ${users.id} = ${viewer.id})` : shown;
}

function selectProfiles() {
  return db
    .select({
      id: users.id,
      name: users.name,
      jobTitle: users.jobTitle,
      profileKind: users.profileKind,
      collectivityCode: collectivities.code,
      collectivityName: collectivities.name,
      departmentCode: collectivities.departmentCode,
      visibility,
      bio: sql<string>`coalesce(${memberProfiles.bio}, '')`,
      expertise: sql<string[]>`coalesce(${memberProfiles.expertise}, '{}'::text[])`,
      showJobTitle: flag(memberProfiles.showJobTitle),
      showCollectivity: flag(memberProfiles.showCollectivity),
      showInitiatives: flag(memberProfiles.showInitiatives),
      showEvents: flag(memberProfiles.showEvents),
      showPosts: flag(memberProfiles.showPosts),
      acceptsMessages: flag(memberProfiles.acceptsMessages),
    })
    .from(users)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.status, "approved")),
    )
    .innerJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
    .leftJoin(memberProfiles, eq(memberProfiles.userId, users.id));
}

type ProfileRow = Awaited<ReturnType<ReturnType<typeof selectProfiles>["where"]>>[number];

/** What a profile shows of its owner's identity, with the hidden parts left out. */
function shownIdentity(row: ProfileRow) {
  return {
    id: row.id,
    name: row.name,
    profileKind: row.profileKind,
    jobTitle: row.showJobTitle ? row.jobTitle : "",
    collectivity: row.showCollectivity
      ? { code: row.collectivityCode, name: row.collectivityName }
      : null,
  };
}

/** The profiles of these ids that the viewer may see, in the order of the ids (search hits). */
export async function visibleProfilesByIds(ids: readonly string[], viewer: ProfileViewer) {
  if (ids.length === 0) return [];
  const rows = await selectProfiles().where(
    and(inArray(users.id, [...ids]), visibleTo(viewer), ne(visibility, "hidden")),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [{ ...shownIdentity(row), expertise: row.expertise }] : [];
  });
}

/** Of these people, those whose profile the viewer may open (to link their names). */
export async function profilesVisibleTo(userIds: readonly string[], viewer: ProfileViewer) {
  return new Set((await visibleProfilesByIds([...new Set(userIds)], viewer)).map((p) => p.id));
}

/** The degraded member search (Meilisearch away): names containing the words, visible ones. */
export async function matchProfileIds(q: string, viewer: ProfileViewer, limit = 50) {
  const rows = await selectProfiles()
    .where(
      and(
        ilike(users.name, `%${escapeLike(q.trim())}%`),
        visibleTo(viewer),
        ne(visibility, "hidden"),
      ),
    )
    .orderBy(users.name)
    .limit(limit);
  return rows.map((row) => row.id);
}

const RECENT_POSTS = 5;

/**
 * A profile page, or null when the member does not exist, has no approved membership, or the
 * viewer may not see it (the same answer for all three). Sections the member hid are empty.
 */
export async function getMemberProfile(userId: string, viewer: ProfileViewer) {
  const [row] = await selectProfiles().where(and(eq(users.id, userId), visibleTo(viewer)));
  if (!row) return null;
  const [credited, organised, posts] = await Promise.all([
    creditedInitiatives(userId, row.showInitiatives),
    organisedPublicEvents(userId, row.showEvents),
    recentPublicPosts(userId, row.showPosts),
  ]);
  return {
    ...shownIdentity(row),
    visibility: row.visibility,
    bio: row.bio,
    expertise: row.expertise,
    acceptsMessages: row.acceptsMessages,
    own: viewer?.id === userId,
    initiatives: credited,
    events: organised,
    posts,
  };
}

function creditedInitiatives(userId: string, shown: boolean) {
  return db
    .selectDistinct({
      id: initiatives.id,
      slug: initiatives.slug,
      title: initiatives.title,
      role: initiativeContributors.role,
      collectivityName: collectivities.name,
      publishedAt: initiatives.publishedAt,
    })
    .from(initiativeContributors)
    .innerJoin(initiatives, eq(initiatives.id, initiativeContributors.initiativeId))
    .innerJoin(collectivities, eq(collectivities.code, initiatives.collectivityCode))
    .where(
      and(
        eq(initiativeContributors.userId, userId),
        eq(initiatives.status, "published"),
        shown ? undefined : sql`false`,
      ),
    )
    .orderBy(desc(initiatives.publishedAt))
    .limit(50);
}

function organisedPublicEvents(userId: string, shown: boolean) {
  return db
    .select({
      id: events.id,
      slug: events.slug,
      title: events.title,
      startsAt: events.startsAt,
      timeZone: events.timeZone,
      status: events.status,
    })
    .from(eventOrganisers)
    .innerJoin(events, eq(events.id, eventOrganisers.eventId))
    .where(
      and(
        eq(eventOrganisers.userId, userId),
        ne(events.status, "draft"),
        shown ? undefined : sql`false`,
      ),
    )
    .orderBy(desc(events.startsAt))
    .limit(20);
}

/** The member's latest posts in public categories (restricted ones never leave their room). */
async function recentPublicPosts(userId: string, shown: boolean) {
  const rows = await db
    .select({
      id: forumPosts.id,
      body: forumPosts.body,
      createdAt: forumPosts.createdAt,
      topicId: forumTopics.id,
      topicTitle: forumTopics.title,
      topicSlug: forumTopics.slug,
      categorySlug: forumCategories.slug,
    })
    .from(forumPosts)
    .innerJoin(forumTopics, eq(forumTopics.id, forumPosts.topicId))
    .innerJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId))
    .where(
      and(
        eq(forumPosts.authorId, userId),
        isNull(forumPosts.deletedAt),
        isNull(forumPosts.hiddenAt),
        isNull(forumCategories.requiredRole),
        shown ? undefined : sql`false`,
      ),
    )
    .orderBy(desc(forumPosts.id))
    .limit(RECENT_POSTS);
  return rows.map((row) => ({
    id: row.id,
    topicTitle: row.topicTitle,
    createdAt: row.createdAt,
    excerpt: markdownToText(row.body).slice(0, 240),
    path: postPath(row.categorySlug, { id: row.topicId, slug: row.topicSlug }, row.id),
  }));
}

// ——— Account lifecycle ———

/** A deleted account's profile goes (rows cascade) and leaves the search index. */
export async function forgetMemberProfile(tx: Executor, userId: string) {
  await tx.delete(memberProfiles).where(eq(memberProfiles.userId, userId));
  await enqueueIndexing(tx, MEMBERS_INDEX, userId);
}

/** What a person chose to show, for the RGPD export (no row until they chose). */
export async function memberProfileOfAccount(userId: string) {
  return db
    .select({ ...settingsColumns, updatedAt: memberProfiles.updatedAt })
    .from(memberProfiles)
    .where(eq(memberProfiles.userId, userId));
}
