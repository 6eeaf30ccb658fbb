import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createPost } from "../../app/models/forum-posts.server";
import { setFollowLevel } from "../../app/models/forum-reading.server";
import {
  createWorkingGroup,
  getWorkingGroup,
  joinGroup,
  removeFromGroup,
} from "../../app/models/groups.server";
import { assignJury, getJuryApplication, unassignJury } from "../../app/models/label-jury.server";
import type { DigestPeriod } from "../../app/models/mail-digest-sources.server";
import { runDigestBatch } from "../../app/models/mail-digests.server";
import { saveMailPreferences } from "../../app/models/mail-preferences.server";
import { db } from "../../db/client";
import { forumFollows, mailOutbox, type Role } from "../../db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { openTopic, reply } from "../helpers/forums";
import { createTestCampaign, submittedApplication } from "../helpers/label";
import { createTestUser } from "../helpers/users";

/**
 * The résumé's "Discussions que vous suivez" tells about topics read by grant, as the forum
 * pages do: a working group's to its members, a deliberation to its assigned jurors.
 */

let app: TestApp;
type TestUser = Awaited<ReturnType<typeof createTestUser>>;
let admin: TestUser;
beforeAll(async () => {
  app = await startTestApp({ RATE_LIMITS: "false" });
  admin = await createTestUser({ collectivityCode: "75056", roles: ["admin"] });
  admin = { ...admin, roles: ["member", "admin"] as Role[] };
});
afterAll(async () => app?.close());

const onlyFollowedTopics = {
  mentions: "never",
  "followed-topics": "weekly",
  initiatives: "never",
  events: "never",
  label: "never",
  moderation: "never",
} as const;

/** People whose résumé only holds the discussions they follow, weekly. */
async function followers(count: number, options: Parameters<typeof createTestUser>[0]) {
  const people: TestUser[] = [];
  for (let i = 0; i < count; i += 1) {
    const person = await createTestUser(options);
    await saveMailPreferences(person.id, { frequencies: onlyFollowedTopics, themes: [] });
    people.push(person);
  }
  return people;
}

async function runPeriod(period: DigestPeriod) {
  for (;;) {
    const batch = await runDigestBatch(period, 50);
    if (batch.state === "done") return;
  }
}

async function digestOf(person: TestUser, key: string) {
  await runPeriod({ frequency: "weekly", key, start: periodStart, end: new Date() });
  const [row] = await db
    .select({ text: mailOutbox.text })
    .from(mailOutbox)
    .where(eq(mailOutbox.dedupeKey, `digest:weekly:${key}:${person.id}`));
  return row?.text ?? "";
}

let periodStart: Date;
let period = 0;
/** A fresh period each time: a résumé is queued once per member and period. */
const nextKey = () => `grants-${(period += 1)}`;

describe("résumé : les discussions lues par autorisation", () => {
  test("un membre d'un groupe de travail qui suit sa catégorie reçoit ses discussions ; une fois parti, plus", async () => {
    periodStart = new Date(Date.now() - 60_000);
    const [coordinator, member, leaver] = await followers(3, { collectivityCode: "35238" });
    const created = await createWorkingGroup(admin, {
      topicId: null,
      title: "Cartographie des données",
      mandate: "Recenser les jeux de données des communes du réseau.",
      coordinatorId: coordinator!.id,
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const group = (await getWorkingGroup(created.value.id))!;
    for (const person of [member!, leaver!]) {
      expect((await joinGroup(person, group.id)).ok).toBe(true);
      const category = { categoryId: group.forumCategoryId };
      expect(await setFollowLevel(person, category, "watching")).toBe(true);
    }
    // Following needs the right to read: an outsider cannot even follow the category.
    const [outsider] = await followers(1, { collectivityCode: "44109" });
    const category = { categoryId: group.forumCategoryId };
    expect(await setFollowLevel(outsider!, category, "watching")).toBe(false);
    // The one who leaves keeps their follow: the résumé must read the grant, not the follow.
    expect((await removeFromGroup(leaver!, group.id, leaver!.id)).ok).toBe(true);
    const kept = await db
      .select({ level: forumFollows.level })
      .from(forumFollows)
      .where(eq(forumFollows.userId, leaver!.id));
    expect(kept).toEqual([{ level: "watching" }]);

    const topic = await openTopic(coordinator!, {
      category: group.forumCategorySlug,
      title: "Inventaire des jeux de données",
    });
    await reply(coordinator!, topic.topicId, "Première liste en pièce jointe.");

    const key = nextKey();
    const text = await digestOf(member!, key);
    expect(text).toContain("DISCUSSIONS QUE VOUS SUIVEZ");
    expect(text).toContain("Inventaire des jeux de données (2 nouveaux messages)");
    expect(await digestOf(leaver!, key)).toBe("");
    expect(await digestOf(outsider!, key)).toBe("");
  });

  test("un juré assigné qui suit le fil de délibération en reçoit les messages ; retiré du dossier, plus", async () => {
    periodStart = new Date(Date.now() - 60_000);
    await createTestCampaign(2090);
    const [juror, other] = await followers(2, { collectivityCode: "dep-29", roles: ["jury"] });
    const id = await submittedApplication(2090, "35238");
    expect((await assignJury(admin, id, juror!.id)).ok).toBe(true);
    expect((await assignJury(admin, id, other!.id)).ok).toBe(true);
    const topicId = (await getJuryApplication(juror!, id))!.deliberationTopicId!;
    expect(await setFollowLevel(juror!, { topicId }, "watching")).toBe(true);
    expect((await createPost(other!, { topicId, body: "Je propose le niveau 3." })).ok).toBe(true);

    const text = await digestOf(juror!, nextKey());
    expect(text).toContain("DISCUSSIONS QUE VOUS SUIVEZ");
    // The admin's opening post and the other juror's reply.
    expect(text).toMatch(/Délibération : .+ \(2090\) \(2 nouveaux messages\)/);

    await unassignJury(id, juror!.id);
    expect(await digestOf(juror!, nextKey())).toBe("");
  });
});
