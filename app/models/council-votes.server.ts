import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";

import { db } from "../../db/client";
import {
  collectivities,
  councilBallots,
  councilCalls,
  councilColleges,
  councilElectors,
  councilTopics,
  councilVotes,
  type CouncilCollege,
} from "../../db/schema";
import type { AuthUser } from "../utils/auth.server";
import { randomId, sha256 } from "../utils/ids.server";
import { councilMembershipOf } from "./council-topics.server";
import { memberOrganisations } from "./organisations.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/**
 * The council's vote: one approval ballot per member organisation, cast by its référent, replaced
 * (never added) by a second one in the window, sealed until the close. Every "is it open / is it
 * closed" reads PostgreSQL's clock, in the transaction that acts on it, never the app's.
 */

const isClosed = sql<boolean>`(${councilVotes.closesAt} <= now())`;
const isOpen = sql<boolean>`(${councilVotes.opensAt} <= now() and ${councilVotes.closesAt} > now())`;

/** The one join of a ballot to its elector: the same organisation in the same vote. */
function ballotOfElector() {
  return sql`${councilBallots.voteId} = ${councilElectors.voteId}
    and ${councilBallots.organisationCode} = ${councilElectors.organisationCode}`;
}

export type VoteInput = {
  callId: string;
  title: string;
  opensAt: Date;
  closesAt: Date;
  maxChoices: number;
};

/** An admin opens a vote on a call's topics; the electorate is fixed now, with each college. */
export async function createVote(input: VoteInput): Promise<Result<{ id: string }>> {
  if (input.closesAt <= input.opensAt) {
    return failure(400, { closesAt: ["La clôture doit suivre l'ouverture."] });
  }
  const [call] = await db
    .select({ id: councilCalls.id })
    .from(councilCalls)
    .where(eq(councilCalls.id, input.callId));
  if (!call) return failure(400, { callId: ["Appel à sujets introuvable."] });
  const id = randomId();
  await db.transaction(async (tx) => {
    await tx.insert(councilVotes).values({ id, ...input });
    const electorate = await memberOrganisations(tx);
    if (electorate.length > 0) {
      await tx
        .insert(councilElectors)
        .values(
          electorate.map((o) => ({ voteId: id, organisationCode: o.code, college: o.college })),
        );
    }
  });
  return { ok: true, value: { id } };
}

export async function listVotes() {
  return db
    .select({
      id: councilVotes.id,
      title: councilVotes.title,
      opensAt: councilVotes.opensAt,
      closesAt: councilVotes.closesAt,
      open: isOpen,
      closed: isClosed,
    })
    .from(councilVotes)
    .orderBy(desc(councilVotes.closesAt));
}

export async function getVote(id: string) {
  const [vote] = await db
    .select({
      id: councilVotes.id,
      callId: councilVotes.callId,
      title: councilVotes.title,
      opensAt: councilVotes.opensAt,
      closesAt: councilVotes.closesAt,
      maxChoices: councilVotes.maxChoices,
      open: isOpen,
      closed: isClosed,
    })
    .from(councilVotes)
    .where(eq(councilVotes.id, id));
  return vote ?? null;
}

export type Vote = NonNullable<Awaited<ReturnType<typeof getVote>>>;

/** The topics on the ballot: those of the call, merged duplicates left out. */
export async function ballotTopics(callId: string) {
  return db
    .select({ id: councilTopics.id, title: councilTopics.title })
    .from(councilTopics)
    .where(and(eq(councilTopics.callId, callId), ne(councilTopics.status, "merged")))
    .orderBy(asc(councilTopics.title));
}

/** The published electorate: the organisations allowed to vote, with their college. */
export async function electorate(voteId: string) {
  return db
    .select({
      code: councilElectors.organisationCode,
      name: collectivities.name,
      college: councilElectors.college,
    })
    .from(councilElectors)
    .innerJoin(collectivities, eq(collectivities.code, councilElectors.organisationCode))
    .where(eq(councilElectors.voteId, voteId))
    .orderBy(asc(councilElectors.college), asc(collectivities.searchName));
}

/**
 * Whether the viewer votes for an organisation of this vote's electorate (as its référent), and
 * the choices of that organisation's current ballot: its own ballot, never anyone else's.
 */
export async function ballotOfViewer(viewer: AuthUser | null, voteId: string) {
  if (!viewer) return { mayVote: false, topicIds: [] as string[] };
  const membership = await councilMembershipOf(viewer.id);
  if (!membership?.isReferent) return { mayVote: false, topicIds: [] as string[] };
  const [row] = await db
    .select({ topicIds: councilBallots.topicIds })
    .from(councilElectors)
    .leftJoin(councilBallots, ballotOfElector())
    .where(
      and(
        eq(councilElectors.voteId, voteId),
        eq(councilElectors.organisationCode, membership.code),
      ),
    );
  return { mayVote: Boolean(row), topicIds: row?.topicIds ?? [] };
}

/**
 * The référent casts their organisation's ballot. In one transaction: the vote is open by
 * PostgreSQL's clock, the organisation is an elector, the choices are topics of the ballot within
 * the cap; the ballot replaces any earlier one of the organisation. Returns the receipt, a
 * secret shown once: only its hash is kept, and published with the ballot after the close.
 */
export async function castBallot(
  user: AuthUser,
  voteId: string,
  topicIds: string[],
): Promise<Result<{ receipt: string; replaced: boolean }>> {
  const membership = await councilMembershipOf(user.id);
  if (!membership?.isReferent) {
    return failure(403, {}, "Seul·e le ou la référent·e de l'organisation vote en son nom.");
  }
  const chosen = [...new Set(topicIds)];
  const receipt = randomId(20);
  try {
    return await db.transaction(async (tx) => {
      const [vote] = await tx
        .select({
          callId: councilVotes.callId,
          maxChoices: councilVotes.maxChoices,
          open: isOpen,
          closed: isClosed,
        })
        .from(councilVotes)
        .where(eq(councilVotes.id, voteId))
        .for("share");
      if (!vote) return failure(404, {}, "Vote introuvable.");
      if (vote.closed)
        return failure(409, {}, "Le vote est clos : aucun bulletin n'est plus reçu.");
      if (!vote.open) return failure(409, {}, "Le vote n'est pas encore ouvert.");
      const [elector] = await tx
        .select({ code: councilElectors.organisationCode })
        .from(councilElectors)
        .where(
          and(
            eq(councilElectors.voteId, voteId),
            eq(councilElectors.organisationCode, membership.code),
          ),
        );
      if (!elector) {
        return failure(
          403,
          {},
          "Votre organisation ne fait pas partie du corps électoral de ce vote.",
        );
      }
      const allowed = new Set(
        (
          await tx
            .select({ id: councilTopics.id })
            .from(councilTopics)
            .where(and(eq(councilTopics.callId, vote.callId), ne(councilTopics.status, "merged")))
        ).map((t) => t.id),
      );
      if (chosen.length === 0) return failure(400, { topicIds: ["Cochez au moins un sujet."] });
      if (chosen.some((id) => !allowed.has(id))) {
        return failure(400, { topicIds: ["Un sujet coché ne figure pas sur ce bulletin."] });
      }
      if (chosen.length > vote.maxChoices) {
        return failure(400, {
          topicIds: [`Vous pouvez approuver ${vote.maxChoices} sujets au plus.`],
        });
      }
      // The unique (vote, organisation) index makes a second ballot replace the first.
      const [saved] = await tx
        .insert(councilBallots)
        .values({
          id: randomId(),
          voteId,
          organisationCode: membership.code,
          topicIds: chosen,
          receiptHash: sha256(receipt),
          castBy: user.id,
        })
        .onConflictDoUpdate({
          target: [councilBallots.voteId, councilBallots.organisationCode],
          set: {
            topicIds: chosen,
            receiptHash: sha256(receipt),
            castBy: user.id,
            castAt: sql`now()`,
          },
        })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      return { ok: true as const, value: { receipt, replaced: !saved?.inserted } };
    });
  } catch (error) {
    // Two first ballots of one organisation at once: the loser is asked to try again.
    if (isUniqueViolation(error))
      return failure(409, {}, "Un autre bulletin vient d'être déposé : réessayez.");
    throw error;
  }
}

export type CollegeCount = { college: CouncilCollege; electors: number; ballots: number };

export type TopicResult = {
  id: string;
  title: string;
  approvals: number;
  byCollege: Record<CouncilCollege, number>;
  /** Mean, over the colleges that voted, of the share of their ballots approving the topic. */
  score: number;
};

export type VoteResults = {
  ballots: number;
  electorate: number;
  colleges: CollegeCount[];
  topics: TopicResult[];
};

const zeroByCollege = () =>
  Object.fromEntries(councilColleges.map((c) => [c, 0])) as Record<CouncilCollege, number>;

/**
 * The count, only once the vote is closed by PostgreSQL's clock: `sealed` before, and nothing of
 * the ballots is read at all. Topics rank by their college-balanced score (each college that
 * voted weighs the same, so no college is drowned by the number of communes), then by approvals.
 */
export async function voteResults(
  voteId: string,
): Promise<
  | { status: "missing" }
  | { status: "sealed"; closesAt: Date }
  | ({ status: "closed" } & VoteResults)
> {
  const vote = await getVote(voteId);
  if (!vote) return { status: "missing" };
  if (!vote.closed) return { status: "sealed", closesAt: vote.closesAt };
  const [colleges, approvals, topics] = await Promise.all([
    db
      .select({
        college: councilElectors.college,
        electors: sql<number>`count(*)::int`,
        ballots: sql<number>`count(${councilBallots.id})::int`,
      })
      .from(councilElectors)
      .leftJoin(councilBallots, ballotOfElector())
      .where(eq(councilElectors.voteId, voteId))
      .groupBy(councilElectors.college),
    db.execute<{ topic_id: string; college: CouncilCollege; approvals: number }>(sql`
      select chosen.topic_id, ${councilElectors.college} as college, count(*)::int as approvals
      from ${councilBallots}
      join ${councilElectors} on ${ballotOfElector()}
      cross join lateral unnest(${councilBallots.topicIds}) as chosen(topic_id)
      where ${councilBallots.voteId} = ${voteId}
        and ${isClosedById(voteId)}
      group by chosen.topic_id, ${councilElectors.college}`),
    ballotTopics(vote.callId),
  ]);
  const ballotsOf = new Map(colleges.map((c) => [c.college, c.ballots]));
  const results = new Map<string, TopicResult>(
    topics.map((t) => [t.id, { ...t, approvals: 0, byCollege: zeroByCollege(), score: 0 }]),
  );
  for (const row of approvals) {
    const topic = results.get(row.topic_id);
    if (!topic) continue;
    topic.byCollege[row.college] += row.approvals;
    topic.approvals += row.approvals;
  }
  const voting = colleges.filter((c) => c.ballots > 0);
  for (const topic of results.values()) {
    const shares = voting.map((c) => topic.byCollege[c.college] / (ballotsOf.get(c.college) ?? 1));
    topic.score = shares.length > 0 ? shares.reduce((a, b) => a + b, 0) / shares.length : 0;
  }
  return {
    status: "closed",
    ballots: colleges.reduce((sum, c) => sum + c.ballots, 0),
    electorate: colleges.reduce((sum, c) => sum + c.electors, 0),
    colleges: councilColleges.map(
      (college) =>
        colleges.find((c) => c.college === college) ?? { college, electors: 0, ballots: 0 },
    ),
    topics: [...results.values()].sort(
      (a, b) =>
        b.score - a.score || b.approvals - a.approvals || a.title.localeCompare(b.title, "fr"),
    ),
  };
}

/**
 * The anonymised ballots of a closed vote (null before the close): the receipt's hash, the
 * college and the choices, ordered by hash. No organisation, no time: nothing links a ballot
 * to who cast it, except its receipt, which only the organisation holds.
 */
export async function anonymisedBallots(voteId: string) {
  const vote = await getVote(voteId);
  if (!vote?.closed) return null;
  const rows = await db
    .select({
      receiptHash: councilBallots.receiptHash,
      college: councilElectors.college,
      topicIds: councilBallots.topicIds,
    })
    .from(councilBallots)
    .innerJoin(councilElectors, ballotOfElector())
    .where(and(eq(councilBallots.voteId, voteId), isClosedById(voteId)))
    .orderBy(asc(councilBallots.receiptHash));
  return { vote, ballots: rows.map((row) => ({ ...row, topicIds: [...row.topicIds].sort() })) };
}

/** SQL: the vote of this id is closed now; repeated in the ballot reads as a second lock. */
function isClosedById(voteId: string) {
  return sql<boolean>`(select ${councilVotes.closesAt} from ${councilVotes} where ${councilVotes.id} = ${voteId}) <= now()`;
}

/**
 * The receipt check: the holder of a receipt learns that their ballot was counted and its
 * choices; a wrong receipt learns nothing, and before the close nothing is read.
 */
export async function checkReceipt(
  receipt: string,
): Promise<
  | { status: "unknown" }
  | { status: "sealed"; voteTitle: string; closesAt: Date }
  | { status: "counted"; voteId: string; voteTitle: string; receiptHash: string; choices: string[] }
> {
  const receiptHash = sha256(receipt.trim());
  const [row] = await db
    .select({
      voteId: councilVotes.id,
      voteTitle: councilVotes.title,
      closesAt: councilVotes.closesAt,
      closed: isClosed,
      topicIds: councilBallots.topicIds,
    })
    .from(councilBallots)
    .innerJoin(councilVotes, eq(councilVotes.id, councilBallots.voteId))
    .where(eq(councilBallots.receiptHash, receiptHash));
  if (!row) return { status: "unknown" };
  if (!row.closed) return { status: "sealed", voteTitle: row.voteTitle, closesAt: row.closesAt };
  const titles = await db
    .select({ id: councilTopics.id, title: councilTopics.title })
    .from(councilTopics)
    .where(inArray(councilTopics.id, row.topicIds.length > 0 ? row.topicIds : [""]))
    .orderBy(asc(councilTopics.title));
  return {
    status: "counted",
    voteId: row.voteId,
    voteTitle: row.voteTitle,
    receiptHash,
    choices: titles.map((t) => t.title),
  };
}

/** What the RGPD export holds of the ballots a person cast (for their organisation). */
export async function councilBallotsOfAccount(userId: string) {
  return db
    .select({ voteId: councilBallots.voteId, castAt: councilBallots.castAt })
    .from(councilBallots)
    .where(eq(councilBallots.castBy, userId));
}
