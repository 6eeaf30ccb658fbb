import { and, asc, desc, eq, ne, sql } from "drizzle-orm";

import { db } from "../../db/client";
import {
  collectivities,
  councilCalls,
  councilTopics,
  forumCategories,
  forumTopics,
  memberships,
  type CouncilTopicStatus,
} from "../../db/schema";
import { hasRole, type AuthUser } from "../utils/auth.server";
import type { ProposeTopicInput } from "../utils/council-schemas";
import { TITLE_MAX_LENGTH } from "../utils/forum-schemas";
import { randomId } from "../utils/ids.server";
import { consume } from "../utils/rate-limit.server";
import { ensureRestrictedCategory } from "./forum-grants.server";
import { createPost, createTopic } from "./forum-posts.server";
import { topicPath } from "./forums.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/**
 * The council's yearly call for topics: members propose, each topic is discussed in its own forum
 * topic (the forums' engine, in the council's category), and admins merge duplicates.
 */

export const COUNCIL_CATEGORY = {
  slug: "conseil-des-partenaires",
  title: "Conseil des partenaires",
  description: "Les sujets proposés au conseil des partenaires, un fil de discussion chacun.",
  requiredRole: null,
};

export type CallInput = { year: number; title: string; opensAt: Date; closesAt: Date };

export async function openCall(input: CallInput): Promise<Result<{ id: string }>> {
  if (input.closesAt <= input.opensAt) {
    return failure(400, { closesAt: ["La clôture doit suivre l'ouverture."] });
  }
  const id = randomId();
  try {
    await db.insert(councilCalls).values({ id, ...input });
  } catch (error) {
    if (isUniqueViolation(error)) {
      return failure(400, { year: [`L'appel à sujets ${input.year} existe déjà.`] });
    }
    throw error;
  }
  return { ok: true, value: { id } };
}

/** Calls, newest first, each with whether it takes proposals now (PostgreSQL's clock). */
export async function listCalls() {
  return db
    .select({
      id: councilCalls.id,
      year: councilCalls.year,
      title: councilCalls.title,
      opensAt: councilCalls.opensAt,
      closesAt: councilCalls.closesAt,
      open: sql<boolean>`(${councilCalls.opensAt} <= now() and ${councilCalls.closesAt} > now())`,
    })
    .from(councilCalls)
    .orderBy(desc(councilCalls.year));
}

/** The approved membership a person acts for in the council, with whether they are référent. */
export async function councilMembershipOf(userId: string) {
  const [row] = await db
    .select({ code: memberships.collectivityCode, isReferent: memberships.isReferent })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "approved")));
  return row ?? null;
}

const topicColumns = {
  id: councilTopics.id,
  callId: councilTopics.callId,
  year: councilCalls.year,
  title: councilTopics.title,
  why: councilTopics.why,
  expectedOutcome: councilTopics.expectedOutcome,
  themes: councilTopics.themes,
  status: councilTopics.status,
  mergedIntoId: councilTopics.mergedIntoId,
  organisationCode: councilTopics.organisationCode,
  organisationName: collectivities.name,
  forumTopicId: councilTopics.forumTopicId,
  forumTopicSlug: forumTopics.slug,
  forumCategorySlug: forumCategories.slug,
  createdAt: councilTopics.createdAt,
};

function topicsQuery() {
  return db
    .select(topicColumns)
    .from(councilTopics)
    .innerJoin(councilCalls, eq(councilCalls.id, councilTopics.callId))
    .innerJoin(collectivities, eq(collectivities.code, councilTopics.organisationCode))
    .leftJoin(forumTopics, eq(forumTopics.id, councilTopics.forumTopicId))
    .leftJoin(forumCategories, eq(forumCategories.id, forumTopics.categoryId));
}

type TopicRow = Awaited<ReturnType<typeof topicsQuery>>[number];

function withDiscussion(row: TopicRow) {
  const { forumTopicId, forumTopicSlug, forumCategorySlug, ...topic } = row;
  return {
    ...topic,
    discussionPath:
      forumTopicId && forumTopicSlug && forumCategorySlug
        ? topicPath(forumCategorySlug, { id: forumTopicId, slug: forumTopicSlug })
        : null,
  };
}

export type CouncilTopic = ReturnType<typeof withDiscussion>;

/** Topics are public: the network and its partners read what is proposed and why. */
export async function listCouncilTopics(filter: {
  status?: CouncilTopicStatus;
  year?: number;
  callId?: string;
}) {
  const rows = await topicsQuery()
    .where(
      and(
        filter.status ? eq(councilTopics.status, filter.status) : undefined,
        filter.year ? eq(councilCalls.year, filter.year) : undefined,
        filter.callId ? eq(councilTopics.callId, filter.callId) : undefined,
      ),
    )
    .orderBy(desc(councilCalls.year), asc(councilTopics.createdAt));
  return rows.map(withDiscussion);
}

export async function getCouncilTopic(id: string) {
  const [row] = await topicsQuery().where(eq(councilTopics.id, id));
  return row ? withDiscussion(row) : null;
}

/**
 * An approved member proposes a topic while the call is open (PostgreSQL's clock). The topic is
 * written first, then its forum topic through the forums' own function, then linked.
 */
export async function proposeTopic(
  author: AuthUser,
  callId: string,
  input: ProposeTopicInput,
  topicUrl: (id: string) => string,
): Promise<Result<{ id: string }>> {
  const membership = await councilMembershipOf(author.id);
  if (!membership) {
    return failure(403, {}, "Seuls les membres validés d'une organisation proposent des sujets.");
  }
  const [call] = await db
    .select({
      open: sql<boolean>`(${councilCalls.opensAt} <= now() and ${councilCalls.closesAt} > now())`,
    })
    .from(councilCalls)
    .where(eq(councilCalls.id, callId));
  if (!call) return failure(404, {}, "Appel à sujets introuvable.");
  if (!call.open) return failure(409, {}, "L'appel à sujets n'est pas ouvert.");
  await consume("council-topic", author.id);
  const id = randomId();
  await db.insert(councilTopics).values({
    id,
    callId,
    title: input.title,
    why: input.why,
    expectedOutcome: input.expectedOutcome,
    themes: input.themes,
    organisationCode: membership.code,
    proposedBy: author.id,
  });
  await ensureRestrictedCategory(COUNCIL_CATEGORY);
  const discussion = await createTopic(author, {
    categorySlug: COUNCIL_CATEGORY.slug,
    title: `Conseil : ${input.title}`.slice(0, TITLE_MAX_LENGTH),
    body: `Sujet proposé au conseil des partenaires : [${input.title}](${topicUrl(id)}).\n\n**Pourquoi** : ${input.why}\n\n**Résultat attendu** : ${input.expectedOutcome}`,
  });
  if (!discussion.ok) {
    // No proposal without its discussion: the topic written above goes.
    await db.delete(councilTopics).where(eq(councilTopics.id, id));
    return discussion;
  }
  await db
    .update(councilTopics)
    .set({ forumTopicId: discussion.value.topicId })
    .where(eq(councilTopics.id, id));
  return { ok: true, value: { id } };
}

/**
 * An admin merges a duplicate into the topic kept (same call, neither merged already); the
 * duplicate's discussion says where the conversation goes on.
 */
export async function mergeTopic(
  admin: AuthUser,
  duplicateId: string,
  keptId: string,
  keptUrl: string,
): Promise<Result<null>> {
  if (!hasRole(admin, "admin")) return failure(403, {}, "Réservé à l'administration.");
  if (duplicateId === keptId) {
    return failure(400, { keptId: ["Un sujet ne peut pas être fusionné avec lui-même."] });
  }
  const merged = await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: councilTopics.id, callId: councilTopics.callId, status: councilTopics.status })
      .from(councilTopics)
      .where(sql`${councilTopics.id} in (${duplicateId}, ${keptId})`)
      .for("update");
    const duplicate = rows.find((r) => r.id === duplicateId);
    const kept = rows.find((r) => r.id === keptId);
    if (!duplicate) return failure(404, {}, "Sujet introuvable.");
    if (!kept || kept.callId !== duplicate.callId || kept.status === "merged") {
      return failure(400, { keptId: ["Choisissez un sujet non fusionné du même appel."] });
    }
    if (duplicate.status === "merged") return failure(409, {}, "Ce sujet est déjà fusionné.");
    await tx
      .update(councilTopics)
      .set({ status: "merged", mergedIntoId: keptId })
      .where(eq(councilTopics.id, duplicateId));
    // Topics merged into the duplicate before now point at the kept one: no chain to follow.
    await tx
      .update(councilTopics)
      .set({ mergedIntoId: keptId })
      .where(and(eq(councilTopics.mergedIntoId, duplicateId), ne(councilTopics.id, keptId)));
    return { ok: true as const, value: null };
  });
  if (!merged.ok) return merged;
  const topic = await getCouncilTopic(duplicateId);
  if (topic?.discussionPath) {
    const [forumTopic] = await db
      .select({ id: councilTopics.forumTopicId })
      .from(councilTopics)
      .where(eq(councilTopics.id, duplicateId));
    if (forumTopic?.id) {
      await createPost(admin, {
        topicId: forumTopic.id,
        body: `Ce sujet a été fusionné avec [un sujet voisin](${keptUrl}) : la discussion continue là-bas.`,
      });
    }
  }
  return merged;
}

/** After the vote, an admin marks the topics the council takes up (or takes one back). */
export async function setTopicSelected(id: string, selected: boolean) {
  const updated = await db
    .update(councilTopics)
    .set({ status: selected ? "selected" : "proposed" })
    .where(and(eq(councilTopics.id, id), ne(councilTopics.status, "merged")))
    .returning({ id: councilTopics.id });
  return updated.length > 0;
}

/** What the RGPD export holds of a person's proposals. */
export async function councilTopicsOfAccount(userId: string) {
  return db
    .select({
      id: councilTopics.id,
      title: councilTopics.title,
      createdAt: councilTopics.createdAt,
    })
    .from(councilTopics)
    .where(eq(councilTopics.proposedBy, userId));
}
