import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { answerHash, getSection, saveAnswers } from "../../app/models/label-answers.server";
import {
  getApplication,
  registerApplication,
  submitApplication,
} from "../../app/models/label-applications.server";
import { selfEvaluation } from "../../app/models/label-evaluation.server";
import { db } from "../../db/client";
import { labelAnswers, labelApplications } from "../../db/schema";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { createTestInitiative } from "../helpers/initiatives";
import { answerQuestions, createTestCampaign, paris } from "../helpers/label";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

const DAY = 86_400_000;

describe("dossier de candidature", () => {
  test("une collectivité n'a qu'un dossier par campagne, même inscrite par deux membres à la fois", async () => {
    await createTestCampaign(2031);
    const first = await createTestUser({ collectivityCode: "60057", referent: true });
    const second = await createTestUser({ collectivityCode: "60057" });
    const [a, b] = await Promise.all([
      registerApplication(first, 2031, { carryOver: false }),
      registerApplication(second, 2031, { carryOver: false }),
    ]);
    const ids = [a, b].map((r) => (r.ok ? r.value.id : "existingId" in r ? r.existingId : null));
    expect(ids[0]).toBeTruthy();
    expect(ids[0]).toBe(ids[1]);
    const rows = await db
      .select({ id: labelApplications.id })
      .from(labelApplications)
      .where(eq(labelApplications.collectivityCode, "60057"));
    expect(rows).toHaveLength(1);
  });

  test("un membre d'une autre collectivité ne peut ni lire ni modifier le dossier (404)", async () => {
    await createTestCampaign(2032);
    const owner = await createTestUser({ collectivityCode: "13056", referent: true });
    const stranger = await createTestUser({ collectivityCode: "56260" });
    const registered = await registerApplication(owner, 2032, { carryOver: false });
    if (!registered.ok) throw new Error("inscription refusée");
    const id = registered.value.id;
    expect(await getApplication(stranger, id)).toBeNull();
    const cookie = await loginCookie(stranger.id);
    for (const path of [
      `/label/candidatures/${id}`,
      `/label/candidatures/${id}/services-en-ligne`,
      `/label/candidatures/${id}/mosaique`,
    ]) {
      expect((await app.request(path, { cookie })).status).toBe(404);
    }
    const posted = await app.request(`/label/candidatures/${id}/services-en-ligne`, {
      ...form({ "q-x": "oui" }),
      cookie,
    });
    expect(posted.status).toBe(404);
    const missing = await app.request("/label/candidatures/inexistant", { cookie });
    expect(missing.status).toBe(404);
  });

  test("plus d'enregistrements simultanés que de connexions à la base : aucun blocage, rien de perdu", async () => {
    await createTestCampaign(2039);
    const referent = await createTestUser({ collectivityCode: "35238", referent: true });
    const registered = await registerApplication(referent, 2039, { carryOver: false });
    if (!registered.ok) throw new Error("inscription refusée");
    const id = registered.value.id;
    const first = (await getSection(referent, id, "democratie-citoyennete"))!;
    const questions = [];
    for (const slug of first.sections) {
      const section = (await getSection(referent, id, slug))!;
      questions.push(...section.questions.filter((q) => q.kind === "yesno"));
    }
    // Each save is a transaction: a query on a second connection inside it would wait for a
    // pool that the other saves hold (the campaign was once read that way: a deadlock).
    expect(questions.length).toBeGreaterThan(15);
    const base = { baseVersion: 0, baseHash: answerHash(null), confirm: false };
    const results = await Promise.all(
      questions.map((question, i) =>
        saveAnswers(referent, id, [
          { questionId: question.id, value: { kind: "yesno", value: i % 2 === 0 }, ...base },
        ]),
      ),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    const stored = await db
      .select({ questionId: labelAnswers.questionId })
      .from(labelAnswers)
      .where(eq(labelAnswers.applicationId, id));
    expect(stored).toHaveLength(questions.length);
  });

  test("une version périmée donne 409, n'écrase rien et garde le texte de la personne", async () => {
    await createTestCampaign(2033);
    const alice = await createTestUser({ collectivityCode: "94033", referent: true });
    const bob = await createTestUser({ collectivityCode: "94033" });
    const registered = await registerApplication(alice, 2033, { carryOver: false });
    if (!registered.ok) throw new Error("inscription refusée");
    const id = registered.value.id;
    const section = (await getSection(alice, id, "democratie-citoyennete"))!;
    const question = section.questions.find((q) => q.kind === "long_text")!;
    const base = { baseVersion: 0, baseHash: answerHash(null), confirm: false };
    const saved = await saveAnswers(alice, id, [
      { questionId: question.id, value: { kind: "long_text", value: "Texte d'Alice" }, ...base },
    ]);
    expect(saved.ok).toBe(true);
    // Bob's form was loaded before Alice saved: version 0.
    const stale = await saveAnswers(bob, id, [
      { questionId: question.id, value: { kind: "long_text", value: "Texte de Bob" }, ...base },
    ]);
    expect(stale.ok).toBe(false);
    expect(stale.ok ? 0 : stale.status).toBe(409);
    const [stored] = await db
      .select({ value: labelAnswers.value, version: labelAnswers.version })
      .from(labelAnswers)
      .where(and(eq(labelAnswers.applicationId, id), eq(labelAnswers.questionId, question.id)));
    expect(stored).toEqual({ value: { kind: "long_text", value: "Texte d'Alice" }, version: 1 });

    // Through the page, without JavaScript: 409, both versions shown, Bob's text kept.
    const response = await app.request(`/label/candidatures/${id}/democratie-citoyennete`, {
      ...form({
        [`q-${question.id}`]: "Texte de Bob par le formulaire",
        [`v-${question.id}`]: "0",
        [`h-${question.id}`]: answerHash(null),
      }),
      cookie: await loginCookie(bob.id),
    });
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain("Texte d&#x27;Alice");
    expect(html).toContain("Texte de Bob par le formulaire");
    expect(html).toContain("Rien n&#x27;a été enregistré");
  });

  test("un enregistrement sans JavaScript passe par le bouton et revient sur la page (PRG)", async () => {
    await createTestCampaign(2034);
    const user = await createTestUser({ collectivityCode: "94018", referent: true });
    const registered = await registerApplication(user, 2034, { carryOver: false });
    if (!registered.ok) throw new Error("inscription refusée");
    const id = registered.value.id;
    const section = (await getSection(user, id, "cybersecurite"))!;
    const yesno = section.questions.find((q) => q.kind === "yesno")!;
    const response = await app.request(`/label/candidatures/${id}/cybersecurite`, {
      ...form({ [`q-${yesno.id}`]: "oui", [`v-${yesno.id}`]: "0", [`h-${yesno.id}`]: yesno.hash }),
      cookie: await loginCookie(user.id),
    });
    expect(response.status).toBe(302);
    const after = (await getSection(user, id, "cybersecurite"))!;
    expect(after.questions.find((q) => q.id === yesno.id)?.answer).toEqual({
      kind: "yesno",
      value: true,
    });
  });
});

describe("date limite de dépôt, à la seconde, heure de Paris", () => {
  // 15 octobre 2027 : heure d'été (UTC+2) ; 31 octobre 2027 : jour du passage à l'heure d'hiver
  // (UTC+1 à minuit) ; 28 mars 2027 : jour du passage à l'heure d'été (UTC+2 à minuit).
  const cases = [
    { year: 2041, deadline: "2027-10-15T23:59", lastAccepted: "2027-10-15T21:59:59.900Z" },
    { year: 2042, deadline: "2027-10-31T23:59", lastAccepted: "2027-10-31T22:59:59.900Z" },
    { year: 2043, deadline: "2027-03-28T23:59", lastAccepted: "2027-03-28T21:59:59.900Z" },
  ];
  for (const { year, deadline, lastAccepted } of cases) {
    test(`le ${deadline.slice(0, 10)} : dépôt à 23:59:59 accepté, une seconde plus tard refusé, brouillon conservé`, async () => {
      const submissionDeadline = paris(deadline);
      await createTestCampaign(year, {
        opensAt: new Date(submissionDeadline.getTime() - 60 * DAY),
        submissionDeadline,
      });
      const onTime = await createTestUser({ collectivityCode: "38382", referent: true });
      const late = await createTestUser({ collectivityCode: "95313", referent: true });
      const early = new Date(submissionDeadline.getTime() - DAY);
      const ids: string[] = [];
      for (const user of [onTime, late]) {
        const registered = await registerApplication(user, year, { carryOver: false }, early);
        if (!registered.ok) throw new Error("inscription refusée");
        await answerQuestions(user, registered.value.id, { now: early });
        ids.push(registered.value.id);
      }
      const accepted = await submitApplication(onTime, ids[0]!, new Date(lastAccepted));
      expect(accepted.ok).toBe(true);
      const oneSecondLater = new Date(new Date(lastAccepted).getTime() + 200);
      expect(oneSecondLater.toISOString().slice(11, 19)).toMatch(/:00:00$/);
      const refused = await submitApplication(late, ids[1]!, oneSecondLater);
      expect(refused.ok).toBe(false);
      expect(refused.ok ? "" : refused.formError).toMatch(/date limite.*brouillon est conservé/);
      const draft = (await getApplication(late, ids[1]!))!;
      expect(draft.status).toBe("draft");
      const answers = await db
        .select()
        .from(labelAnswers)
        .where(eq(labelAnswers.applicationId, ids[1]!));
      expect(answers.length).toBeGreaterThan(5);
      // And nothing can be saved any more.
      const section = (await getSection(late, ids[1]!, "cybersecurite"))!;
      const saved = await saveAnswers(
        late,
        ids[1]!,
        [
          {
            questionId: section.questions[0]!.id,
            value: { kind: "yesno", value: false },
            baseVersion: section.questions[0]!.version,
            baseHash: section.questions[0]!.hash,
            confirm: false,
          },
        ],
        oneSecondLater,
      );
      expect(saved.ok ? 200 : saved.status).toBe(409);
    });
  }
});

describe("reprise de l'an dernier et comparaison", () => {
  test("la reprise apporte les réponses de l'an dernier et les initiatives en cours, « à confirmer »", async () => {
    const now = Date.now();
    await createTestCampaign(2050, {
      opensAt: new Date(now - 400 * DAY),
      submissionDeadline: new Date(now - 300 * DAY),
      publishedAt: new Date(now - 200 * DAY),
    });
    await createTestCampaign(2051);
    const user = await createTestUser({ collectivityCode: "70299", referent: true });
    const last = await registerApplication(
      user,
      2050,
      { carryOver: false },
      new Date(now - 350 * DAY),
    );
    if (!last.ok) throw new Error("inscription refusée");
    await answerQuestions(user, last.value.id, { which: "all", now: new Date(now - 350 * DAY) });
    expect((await submitApplication(user, last.value.id, new Date(now - 340 * DAY))).ok).toBe(true);
    const initiative = await createTestInitiative("70299", {
      themes: ["democratie-citoyennete"],
      startYear: new Date().getFullYear(),
    });

    const current = await registerApplication(user, 2051, { carryOver: true });
    if (!current.ok) throw new Error("inscription refusée");
    const section = (await getSection(user, current.value.id, "democratie-citoyennete"))!;
    const yesno = section.questions.find((q) => q.kind === "yesno")!;
    expect(yesno.answer).toEqual({ kind: "yesno", value: true });
    expect(yesno.toConfirm).toBe(true);
    const evidence = section.questions.find((q) => q.kind === "initiatives")!;
    expect(evidence.answer).toEqual({ kind: "initiatives", value: [initiative.id] });
    expect(evidence.toConfirm).toBe(true);

    // Not submittable until confirmed; confirming keeps the value and lifts the mark.
    const refused = await submitApplication(user, current.value.id);
    expect(refused.ok).toBe(false);
    const confirmed = await saveAnswers(user, current.value.id, [
      {
        questionId: yesno.id,
        value: yesno.answer,
        baseVersion: yesno.version,
        baseHash: yesno.hash,
        confirm: true,
      },
    ]);
    expect(confirmed.ok).toBe(true);
    const after = (await getSection(user, current.value.id, "democratie-citoyennete"))!;
    expect(after.questions.find((q) => q.id === yesno.id)?.toConfirm).toBe(false);
  });

  test("la comparaison est masquée sous 5 collectivités comparables, et dit pourquoi", async () => {
    const now = Date.now();
    await createTestCampaign(2060, {
      opensAt: new Date(now - 400 * DAY),
      submissionDeadline: new Date(now - 300 * DAY),
      publishedAt: new Date(now - 200 * DAY),
    });
    await createTestCampaign(2061);
    // Villages under 500 inhabitants in Haute-Saône, like Lavoncourt.
    const peers = ["70001", "70002", "70004", "70007", "70008"];
    const previous: string[] = [];
    for (const code of peers) {
      const member = await createTestUser({ collectivityCode: code, referent: true });
      const registered = await registerApplication(
        member,
        2060,
        { carryOver: false },
        new Date(now - 350 * DAY),
      );
      if (!registered.ok) throw new Error(`inscription refusée ${code}`);
      await answerQuestions(member, registered.value.id, {
        which: "all",
        now: new Date(now - 350 * DAY),
      });
      previous.push(registered.value.id);
    }
    const user = await createTestUser({ collectivityCode: "70299", referent: true });
    const current = await registerApplication(user, 2061, { carryOver: false });
    if (!current.ok) throw new Error("inscription refusée");
    const submitAt = new Date(now - 340 * DAY);
    const admin = { ...user, roles: ["admin" as const] };
    for (const id of previous.slice(0, 4)) await submitApplication(admin, id, submitAt);
    const hidden = (await selfEvaluation(user, current.value.id))!;
    expect(hidden.comparison.shown).toBe(false);
    expect(hidden.comparison.shown ? "" : hidden.comparison.reason).toMatch(
      /seulement 4 collectivités/,
    );
    expect(hidden.sections.every((s) => s.median === null)).toBe(true);

    await submitApplication(admin, previous[4]!, submitAt);
    const shown = (await selfEvaluation(user, current.value.id))!;
    expect(shown.comparison.shown).toBe(true);
    expect(shown.sections.every((s) => s.median !== null)).toBe(true);
    const page = await app.request(`/label/candidatures/${current.value.id}/mosaique`, {
      cookie: await loginCookie(user.id),
    });
    expect(await page.text()).toContain("Médiane");
  });
});
