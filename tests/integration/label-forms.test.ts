import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { answerHash, getSection } from "../../app/models/label-answers.server";
import { registerApplication } from "../../app/models/label-applications.server";
import { assignJury } from "../../app/models/label-jury.server";
import {
  addQuestion,
  importQuestionnaire,
  updateQuestion,
} from "../../app/models/label-questionnaires.server";
import { db } from "../../db/client";
import type { Role } from "../../db/schema";
import { labelAnswers } from "../../db/schema";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { createTestCampaign, submittedApplication } from "../helpers/label";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

/** The JSON an action answers to a fetcher (or conform), for the route `id`. */
const dataPath = (path: string, id: string) => `${path}?_data=${encodeURIComponent(id)}`;

describe("formulaires du label : 400 avec les erreurs par champ et la saisie gardée", () => {
  test("une section avec un nombre invalide : 400, message en français, saisie réaffichée, rien d'enregistré", async () => {
    await createTestCampaign(2051);
    const user = await createTestUser({ collectivityCode: "94018", referent: true });
    const registered = await registerApplication(user, 2051, { carryOver: false });
    if (!registered.ok) throw new Error("inscription refusée");
    const id = registered.value.id;
    const section = (await getSection(user, id, "services-en-ligne"))!;
    const number = section.questions.find((q) => q.kind === "number")!;
    const multiple = section.questions.find((q) => q.kind === "multiple")!;
    const option = multiple.options[0]!;
    const fields = {
      [`q-${number.id}`]: "douze",
      [`v-${number.id}`]: "0",
      [`h-${number.id}`]: number.hash,
      [`q-${multiple.id}`]: option.value,
      [`v-${multiple.id}`]: "0",
      [`h-${multiple.id}`]: multiple.hash,
    };
    const cookie = await loginCookie(user.id);
    const path = `/label/candidatures/${id}/services-en-ligne`;

    // Without JavaScript: the page comes back with the errors and what was typed.
    const page = await app.request(path, { ...form(fields), cookie });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("Saisissez un nombre positif, par exemple 12 ou 12,5.");
    expect(html).toContain("Certaines réponses sont à corriger : rien n&#x27;a été enregistré.");
    expect(html).toMatch(/value="douze"/);
    const checkbox = html.match(new RegExp(`<input[^>]*value="${option.value}"[^>]*>`))?.[0];
    expect(checkbox).toContain('checked=""');

    // The autosave's (fetcher's) answer: conform's result, errors under the field's name.
    const data = await app.request(dataPath(path, "routes/label.candidatures.$id.$section"), {
      ...form({ ...fields, autosave: "1", [`q-${multiple.id}`]: "inconnue" }),
      cookie,
    });
    expect(data.status).toBe(400);
    const body = (await data.json()) as {
      status: string;
      result: { initialValue: Record<string, unknown>; error: Record<string, string[]> };
    };
    expect(body.status).toBe("invalid");
    expect(body.result.error[`q-${number.id}`]).toEqual([
      "Saisissez un nombre positif, par exemple 12 ou 12,5.",
    ]);
    expect(body.result.error[`q-${multiple.id}`]).toEqual([
      "Choisissez parmi les réponses proposées.",
    ]);
    expect(body.result.initialValue[`q-${number.id}`]).toBe("douze");

    const stored = await db
      .select({ id: labelAnswers.questionId })
      .from(labelAnswers)
      .where(eq(labelAnswers.applicationId, id));
    expect(stored).toEqual([]);
  });

  test("le message du jury trop long revient en 400 avec son texte ; un message valide est publié dans le fil", async () => {
    const { juror, id } = await assignedApplication(2052, "60057");
    const cookie = await loginCookie(juror.id);
    const path = `/label/jury/${id}`;
    const long = `Mon avis détaillé : ${"très solide. ".repeat(1600)}`;
    const page = await app.request(path, { ...form({ intent: "reply", body: long }), cookie });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("Le message ne peut pas dépasser 20000 caractères.");
    expect(html).toMatch(/<textarea[^>]*>Mon avis détaillé : très solide\./);

    const data = await app.request(dataPath(path, "routes/label.jury.$id"), {
      ...form({ intent: "reply", body: " " }),
      cookie,
    });
    expect(data.status).toBe(400);
    const body = (await data.json()) as {
      intent: string;
      result: { error: Record<string, string[]> };
    };
    expect(body.intent).toBe("reply");
    expect(body.result.error.body).toEqual(["Le message est trop court."]);

    const posted = await app.request(path, {
      ...form({ intent: "reply", body: "Je propose 4 @ pour ce dossier." }),
      cookie,
    });
    expect(posted.status).toBe(302);
    const thread = await (await app.request(path, { cookie })).text();
    expect(thread).toContain("Je propose 4 @ pour ce dossier.");
  });

  test("une évaluation du jury avec une note hors grille : 400 sur le champ, appréciation gardée", async () => {
    const { juror, id } = await assignedApplication(2053, "56260");
    const cookie = await loginCookie(juror.id);
    const path = `/label/jury/${id}`;
    const fields = {
      intent: "review",
      "grid.services-en-ligne": "9",
      proposedLevel: "7",
      mentions: "inconnue",
      comment: "Une appréciation écrite avec soin.",
    };
    const page = await app.request(path, { ...form(fields), cookie });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("Note de 0 à 4.");
    expect(html).toContain("Une appréciation écrite avec soin.");
    const data = await app.request(dataPath(path, "routes/label.jury.$id"), {
      ...form(fields),
      cookie,
    });
    const body = (await data.json()) as { result: { error: Record<string, string[]> } };
    expect(body.result.error).toMatchObject({
      "grid.services-en-ligne": ["Note de 0 à 4."],
      proposedLevel: ["Choisissez un niveau de 1 à 5 @."],
      "mentions[0]": ["Mention inconnue."],
    });
  });

  test("le retour écrit de l'équipe trop court : 400, texte et niveau gardés, résultat non validé", async () => {
    const { id } = await assignedApplication(2054, "13056");
    const cookie = await loginCookie(admin.id);
    const path = `/label/admin/dossiers/${id}`;
    const page = await app.request(path, {
      ...form({ intent: "validate", level: "4", feedback: "Bravo" }),
      cookie,
    });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("Écrivez un retour d&#x27;au moins quelques mots pour la collectivité.");
    expect(html).toMatch(/<textarea[^>]*>Bravo<\/textarea>/);
    const level = html.match(/<input[^>]*name="level"[^>]*value="4"[^>]*>/)?.[0];
    expect(level).toContain('checked=""');
    const data = await app.request(dataPath(path, "routes/label.admin.dossiers.$id"), {
      ...form({ intent: "validate", feedback: "Un retour assez long." }),
      cookie,
    });
    expect(data.status).toBe(400);
    const body = (await data.json()) as { result: { error: Record<string, string[]> } };
    expect(body.result.error.level).toEqual(["Choisissez un niveau de 1 à 5 @."]);
  });
});

type TestUser = Awaited<ReturnType<typeof createTestUser>>;
let admin: TestUser;
beforeAll(async () => {
  admin = await createTestUser({ collectivityCode: "75056", roles: ["admin"] });
  admin = { ...admin, roles: ["member", "admin"] as Role[] };
});

/** A submitted application of `code` for the campaign of `year`, given to a jury member. */
async function assignedApplication(year: number, code: string) {
  await createTestCampaign(year);
  const id = await submittedApplication(year, code);
  const juror = await createTestUser({ collectivityCode: "dep-29", roles: ["jury"] });
  const assigned = await assignJury(admin, id, juror.id);
  if (!assigned.ok) throw new Error("assignation refusée");
  return { juror, id };
}

describe("questionnaire modifié pendant la campagne", () => {
  test("après une modification par l'équipe du label, l'enregistrement suit les nouveaux choix et la nouvelle question", async () => {
    const categories = ["village", "ville", "territoire", "departement"] as const;
    const question = {
      code: "outil",
      kind: "single" as const,
      prompt: "Quel outil de prise de rendez-vous ?",
      help: "",
      required: false,
      weight: 2,
      options: [{ value: "agenda", label: "Un agenda partagé", points: 1 }],
      categories: [...categories],
    };
    const theme = "services-en-ligne";
    const { id: questionnaireId } = await importQuestionnaire({
      key: "modifie-en-cours",
      title: "Questionnaire modifié en cours de campagne",
      sections: [{ theme, questions: [question] }],
    });
    await createTestCampaign(2055, {}, questionnaireId);
    const user = await createTestUser({ collectivityCode: "94018", referent: true });
    const registered = await registerApplication(user, 2055, { carryOver: false });
    if (!registered.ok) throw new Error("inscription refusée");
    const id = registered.value.id;
    const questionId = (await getSection(user, id, theme))!.questions[0]!.id;
    const cookie = await loginCookie(user.id);
    const save = (fields: Record<string, string>) =>
      app.request(
        dataPath(`/label/candidatures/${id}/${theme}`, "routes/label.candidatures.$id.$section"),
        {
          ...form({ ...fields, autosave: "1" }),
          cookie,
        },
      );

    // A first save: the section's form is built and kept.
    const first = await save({
      [`q-${questionId}`]: "agenda",
      [`v-${questionId}`]: "0",
      [`h-${questionId}`]: answerHash(null),
    });
    expect(first.status).toBe(200);

    const edited = await updateQuestion(questionnaireId, questionId, {
      ...question,
      section: theme,
      options: [...question.options, { value: "portail", label: "Un portail usagers", points: 2 }],
    });
    expect(edited).toEqual({ ok: true, value: { id: questionId, newVersion: false } });
    const added = await addQuestion(questionnaireId, {
      ...question,
      code: "rendez-vous-en-ligne",
      kind: "yesno",
      prompt: "Proposez-vous la prise de rendez-vous en ligne ?",
      options: [],
      section: theme,
    });
    if (!added.ok) throw new Error("question refusée");

    const second = await save({
      [`q-${questionId}`]: "portail",
      [`v-${questionId}`]: "1",
      [`h-${questionId}`]: answerHash({ kind: "single", value: "agenda" }),
      [`q-${added.value.id}`]: "oui",
      [`v-${added.value.id}`]: "0",
      [`h-${added.value.id}`]: answerHash(null),
    });
    expect(second.status).toBe(200);
    const stored = await db
      .select({ questionId: labelAnswers.questionId, value: labelAnswers.value })
      .from(labelAnswers)
      .where(eq(labelAnswers.applicationId, id));
    expect(new Map(stored.map((row) => [row.questionId, row.value]))).toEqual(
      new Map([
        [questionId, { kind: "single", value: "portail" }],
        [added.value.id, { kind: "yesno", value: true }],
      ]),
    );
  });
});
