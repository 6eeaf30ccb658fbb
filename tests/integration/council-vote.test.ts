import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { openCall, proposeTopic } from "../../app/models/council-topics.server";
import { castBallot, createVote, voteResults } from "../../app/models/council-votes.server";
import { createPartner } from "../../app/models/organisations.server";
import { sha256 } from "../../app/utils/ids.server";
import { db } from "../../db/client";
import { councilBallots, councilVotes } from "../../db/schema";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

const hour = 60 * 60 * 1000;
let yearCounter = 2030;

async function partnerReferent(name: string, college: "economique" | "social") {
  const created = await createPartner({ name, kind: "association", college, description: "" });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return createTestUser({ collectivityCode: `org-${created.value.slug}`, referent: true });
}

/** An open call with topics proposed by `author`, and a vote open now on them. */
async function openVoteWith(author: Awaited<ReturnType<typeof createTestUser>>, titles: string[]) {
  yearCounter += 1;
  const call = await openCall({
    year: yearCounter,
    title: `Appel à sujets ${yearCounter}`,
    opensAt: new Date(Date.now() - hour),
    closesAt: new Date(Date.now() + hour),
  });
  if (!call.ok) throw new Error(JSON.stringify(call));
  const topics: string[] = [];
  for (const title of titles) {
    const proposed = await proposeTopic(
      author,
      call.value.id,
      {
        title,
        why: "Parce que les territoires en ont besoin, et vite.",
        expectedOutcome: "Un guide partagé.",
        themes: ["services-en-ligne"],
      },
      (id) => `${app.origin}/conseil/sujets/${id}`,
    );
    if (!proposed.ok) throw new Error(JSON.stringify(proposed));
    topics.push(proposed.value.id);
  }
  return { callId: call.value.id, topics };
}

async function createOpenVote(callId: string, maxChoices = 5) {
  const vote = await createVote({
    callId,
    title: "Choix des sujets",
    opensAt: new Date(Date.now() - hour),
    closesAt: new Date(Date.now() + hour),
    maxChoices,
  });
  if (!vote.ok) throw new Error(JSON.stringify(vote));
  return vote.value.id;
}

/** Moves the close into the past with PostgreSQL's clock, as time would. */
async function closeVote(voteId: string) {
  await db
    .update(councilVotes)
    .set({ closesAt: sql`now() - interval '1 second'` })
    .where(eq(councilVotes.id, voteId));
}

async function vote(voteId: string, userId: string, topicIds: string[]) {
  const body = new URLSearchParams(topicIds.map((id) => ["topicIds", id]));
  return app.request(`/conseil/votes/${voteId}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
    cookie: await loginCookie(userId),
  });
}

describe("conseil des partenaires : sujets", () => {
  test("un membre propose un sujet qui a sa discussion ; un admin fusionne un doublon", async () => {
    const member = await createTestUser({ collectivityCode: "35238" });
    const admin = await createTestUser({ roles: ["admin"], collectivityCode: "29019" });
    const { topics } = await openVoteWith(member, [
      "Sobriété numérique des services",
      "Sobriété des services numériques",
    ]);
    const page = await (await app.request(`/conseil/sujets/${topics[0]}`)).text();
    expect(page).toContain("Discuter de ce sujet dans les forums");

    const merged = await app.request(`/conseil/sujets/${topics[1]}`, {
      ...form({ intent: "merge", keptId: topics[0]! }),
      cookie: await loginCookie(admin.id),
    });
    expect(merged.status).toBe(302);
    const api = (await (await app.request("/api/v1/council/topics?status=merged")).json()) as {
      items: Array<{ id: string; mergedIntoId: string }>;
    };
    expect(api.items).toContainEqual(
      expect.objectContaining({ id: topics[1], mergedIntoId: topics[0] }),
    );
    const byMember = await app.request(`/conseil/sujets/${topics[0]}`, {
      ...form({ intent: "merge", keptId: topics[1]! }),
      cookie: await loginCookie(member.id),
    });
    expect(byMember.status).toBe(403);
    expect((await app.request("/api/v1/council/topics?status=perdu")).status).toBe(400);
  });
});

describe("conseil des partenaires : le vote", () => {
  test("une organisation n'a qu'un bulletin : un second dans la fenêtre remplace le premier", async () => {
    const referent = await createTestUser({ collectivityCode: "44109", referent: true });
    const { callId, topics } = await openVoteWith(referent, [
      "Sujet un",
      "Sujet deux",
      "Sujet trois",
    ]);
    const voteId = await createOpenVote(callId, 2);

    const first = await vote(voteId, referent.id, [topics[0]!]);
    expect(first.status).toBe(200);
    const second = await vote(voteId, referent.id, [topics[1]!, topics[2]!]);
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("il remplace le précédent");
    const rows = await db.select().from(councilBallots).where(eq(councilBallots.voteId, voteId));
    expect(rows).toHaveLength(1);
    expect([...rows[0]!.topicIds].sort()).toEqual([topics[1], topics[2]].sort());

    const overCap = await vote(voteId, referent.id, topics);
    expect(overCap.status).toBe(400);
    expect(await overCap.text()).toContain("2 sujets au plus");
    const plainMember = await createTestUser({ collectivityCode: "44109" });
    const refused = await vote(voteId, plainMember.id, [topics[0]!]);
    expect(refused.status).toBe(403);
    expect(
      (await db.select().from(councilBallots).where(eq(councilBallots.voteId, voteId)))[0]!
        .topicIds,
    ).toHaveLength(2);
  });

  test("rien du dépouillement n'est lisible avant la clôture ; un vote après la clôture est refusé", async () => {
    const referent = await createTestUser({ collectivityCode: "69123", referent: true });
    const { callId, topics } = await openVoteWith(referent, ["Sujet scellé"]);
    const voteId = await createOpenVote(callId);
    const cast = await castBallot(referent, voteId, [topics[0]!]);
    if (!cast.ok) throw new Error(JSON.stringify(cast));

    const api = await app.request(`/api/v1/council/votes/${voteId}/results`);
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: { message: string } }).error.message).toContain(
      "pas clos",
    );
    const admin = await createTestUser({ roles: ["admin"], collectivityCode: "13055" });
    const page = await (
      await app.request(`/conseil/votes/${voteId}`, { cookie: await loginCookie(admin.id) })
    ).text();
    expect(page).toContain("Le dépouillement est scellé");
    expect(page).not.toContain("Décompte par sujet");
    expect((await app.request(`/conseil/votes/${voteId}/bulletins.csv`)).status).toBe(404);
    expect((await app.request(`/conseil/votes/${voteId}/bulletins.json`)).status).toBe(404);
    const early = await (
      await app.request("/conseil/verifier", form({ receipt: cast.value.receipt }))
    ).text();
    expect(early).toContain("pas encore clos");
    expect(early).not.toContain("Bulletin compté");
    expect(await voteResults(voteId)).toMatchObject({ status: "sealed" });
    expect((await app.request("/api/v1/council/votes/inconnu/results")).status).toBe(404);

    await closeVote(voteId);
    const late = await vote(voteId, referent.id, []);
    expect(late.status).toBe(400);
    const refused = await castBallot(referent, voteId, [topics[0]!]);
    expect(refused).toMatchObject({ ok: false, status: 409 });
    const latePage = await vote(voteId, referent.id, [topics[0]!]);
    expect(latePage.status).toBe(409);
    expect(await latePage.text()).toContain("Le vote est clos");
    expect((await app.request(`/api/v1/council/votes/${voteId}/results`)).status).toBe(200);
  });

  test("les décomptes par collège correspondent à un exemple calculé à la main", async () => {
    const c1 = await createTestUser({ collectivityCode: "56121", referent: true });
    const c2 = await createTestUser({ collectivityCode: "56178", referent: true });
    const c3 = await createTestUser({ collectivityCode: "56251", referent: true });
    const e1 = await partnerReferent("Entreprise Exemple Vote", "economique");
    await partnerReferent("Association Abstention", "social");
    const { callId, topics } = await openVoteWith(c1, [
      "A — données",
      "B — inclusion",
      "C — cyber",
    ]);
    const [a, b, c] = topics as [string, string, string];
    const voteId = await createOpenVote(callId);
    for (const [who, choice] of [
      [c1, [a, b]],
      [c2, [a]],
      [c3, [b, c]],
      [e1, [c]],
    ] as const) {
      const cast = await castBallot(who, voteId, [...choice]);
      expect(cast.ok).toBe(true);
    }
    await closeVote(voteId);
    const response = await app.request(`/api/v1/council/votes/${voteId}/results`);
    expect(response.status).toBe(200);
    const results = (await response.json()) as {
      ballots: number;
      colleges: Array<{ college: string; electors: number; ballots: number }>;
      topics: Array<{
        id: string;
        approvals: number;
        byCollege: Record<string, number>;
        score: number;
      }>;
    };
    expect(results.ballots).toBe(4);
    const college = (name: string) => results.colleges.find((x) => x.college === name)!;
    expect(college("collectivites").ballots).toBe(3);
    expect(college("economique").ballots).toBe(1);
    expect(college("social").ballots).toBe(0);
    expect(college("social").electors).toBeGreaterThanOrEqual(1);
    const topic = (id: string) => results.topics.find((x) => x.id === id)!;
    // A: 2 collectivities; B: 2 collectivities; C: 1 collectivity and the company.
    expect(topic(a)).toMatchObject({
      approvals: 2,
      byCollege: { collectivites: 2, economique: 0 },
    });
    expect(topic(b)).toMatchObject({
      approvals: 2,
      byCollege: { collectivites: 2, economique: 0 },
    });
    expect(topic(c)).toMatchObject({
      approvals: 2,
      byCollege: { collectivites: 1, economique: 1 },
    });
    // Balanced score: mean over the two colleges that voted of their share approving.
    expect(topic(a).score).toBeCloseTo((2 / 3 + 0) / 2);
    expect(topic(c).score).toBeCloseTo((1 / 3 + 1) / 2);
    expect(results.topics[0]!.id).toBe(c);
  });

  test("le reçu confirme un bulletin compté et ne révèle rien d'autre", async () => {
    const mine = await createTestUser({ collectivityCode: "22278", referent: true });
    const theirs = await createTestUser({ collectivityCode: "22113", referent: true });
    const { callId, topics } = await openVoteWith(mine, ["Mon choix secret", "Leur choix à eux"]);
    const voteId = await createOpenVote(callId);
    const myCast = await castBallot(mine, voteId, [topics[0]!]);
    const theirCast = await castBallot(theirs, voteId, [topics[1]!]);
    if (!myCast.ok || !theirCast.ok) throw new Error("ballots");
    await closeVote(voteId);

    const checked = await (
      await app.request("/conseil/verifier", form({ receipt: myCast.value.receipt }))
    ).text();
    expect(checked).toContain("Bulletin compté");
    expect(checked).toContain("Mon choix secret");
    expect(checked).not.toContain("Leur choix à eux");
    expect(checked).not.toContain(theirCast.value.receipt);
    const wrong = await (
      await app.request("/conseil/verifier", form({ receipt: "pasunrecuvalide0000000000" }))
    ).text();
    expect(wrong).toContain("Aucun bulletin ne correspond");
    expect(wrong).not.toContain("Mon choix secret");

    const published = (await (
      await app.request(`/conseil/votes/${voteId}/bulletins.json`)
    ).json()) as {
      ballots: Array<Record<string, unknown>>;
    };
    expect(published.ballots).toContainEqual({
      receiptHash: sha256(myCast.value.receipt),
      college: "collectivites",
      topicIds: [topics[0]],
    });
    const text = JSON.stringify(published);
    expect(text).not.toContain("22278");
    expect(text).not.toContain(mine.id);
    const csv = await (await app.request(`/conseil/votes/${voteId}/bulletins.csv`)).text();
    expect(csv).toContain(sha256(theirCast.value.receipt));
  });
});
