import { createHash } from "node:crypto";

import { and, asc, desc, eq, gte, ilike, inArray, lt, ne } from "drizzle-orm";

import { createAccount, setRoles } from "../../app/models/accounts.server";
import { createPost } from "../../app/models/forum-posts.server";
import { saveAnswers, type AnswerEntry } from "../../app/models/label-answers.server";
import {
  getApplication,
  registerApplication,
  setQuote,
  submitApplication,
} from "../../app/models/label-applications.server";
import { createCampaign } from "../../app/models/label-campaigns.server";
import { assignJury, saveReview } from "../../app/models/label-jury.server";
import {
  currentQuestions,
  importDefaultQuestionnaire,
  type Question,
} from "../../app/models/label-questionnaires.server";
import { validateResult } from "../../app/models/label-results.server";
import type { AuthUser } from "../../app/utils/auth.server";
import { localToInstant, PARIS } from "../../app/utils/dates";
import type { Database } from "../../db/client";
import { collectivities, users, type LabelAnswerValue } from "../../db/schema";
import { DEMO_PASSWORD } from "./demo-accounts";
import { pastLaureates, quotes } from "./label-data";

/**
 * Demo content of the label: two past campaigns with published results (the collectivities
 * quoted on the "dix bonnes raisons" page, every catégorie, enough villages like Lavoncourt for
 * its comparison to show) and an open campaign where Lavoncourt's référente has a draft.
 * Everything goes through the model functions, with the clock of each step passed explicitly.
 */

const DAY = 86_400_000;

/** A stable number in [0, 1) for a key: the same demo every time. */
function chance(key: string) {
  return createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
}

const paris = (local: string) => localToInstant(local, PARIS)!;

/** Answers of a collectivity aiming at `strength` (0–1), varied per question. */
function demoAnswer(question: Question, code: string, strength: number): LabelAnswerValue | null {
  const roll = chance(`${code}:${question.code}`);
  const good = roll < strength;
  switch (question.kind) {
    case "yesno":
      return { kind: "yesno", value: good };
    case "single": {
      const sorted = [...question.options].sort((a, b) => a.points - b.points);
      const index = Math.min(sorted.length - 1, Math.floor(strength * sorted.length + roll - 0.5));
      return { kind: "single", value: sorted[Math.max(0, index)]!.value };
    }
    case "multiple": {
      const chosen = question.options.filter((o) => chance(`${code}:${o.value}`) < strength);
      return chosen.length > 0
        ? { kind: "multiple", value: chosen.map((o) => o.value).sort() }
        : null;
    }
    case "number": {
      const top = Math.max(...question.options.map((o) => Number(o.value)));
      return { kind: "number", value: Math.round(top * strength * (0.6 + roll)) };
    }
    case "short_text":
    case "long_text":
      return {
        kind: question.kind,
        value: "Un travail d'équipe entre les élus et les agents, avec les habitants.",
      };
    case "initiatives":
      return null;
  }
}

async function fillAndSubmit(admin: AuthUser, year: number, code: string, level: number, at: Date) {
  const registered = await registerApplication(
    admin,
    year,
    { carryOver: false, collectivityCode: code },
    at,
  );
  if (!registered.ok) return null;
  const id = registered.value.id;
  const application = (await getApplication(admin, id))!;
  const questions = await currentQuestions(
    application.campaign.questionnaireId,
    application.category,
  );
  const strength = Math.min(0.95, 0.12 + level * 0.17);
  const entries: AnswerEntry[] = questions.flatMap((question) => {
    const value = demoAnswer(question, code, strength);
    return value
      ? [{ questionId: question.id, value, baseVersion: 0, baseHash: "", confirm: false }]
      : [];
  });
  await saveAnswers(admin, id, entries, at);
  const submitted = await submitApplication(admin, id, new Date(at.getTime() + 60_000));
  return submitted.ok ? id : null;
}

/** Villages of Lavoncourt's région and bracket, so that its comparison has enough peers. */
async function peerVillages(db: Database) {
  const [lavoncourt] = await db
    .select({ region: collectivities.regionCode })
    .from(collectivities)
    .where(eq(collectivities.code, "70299"));
  return db
    .select({ code: collectivities.code })
    .from(collectivities)
    .where(
      and(
        eq(collectivities.kind, "commune"),
        eq(collectivities.regionCode, lavoncourt?.region ?? "27"),
        lt(collectivities.population, 500),
        gte(collectivities.population, 150),
        ne(collectivities.code, "70299"),
      ),
    )
    .orderBy(desc(collectivities.population), asc(collectivities.code))
    .limit(7);
}

async function findEpci(db: Database, namePart: string) {
  const [row] = await db
    .select({ code: collectivities.code })
    .from(collectivities)
    .where(and(eq(collectivities.kind, "epci"), ilike(collectivities.name, `%${namePart}%`)))
    .limit(1);
  return row?.code ?? null;
}

async function usersByEmail(db: Database, emails: string[]) {
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      roles: users.roles,
      profileKind: users.profileKind,
      jobTitle: users.jobTitle,
    })
    .from(users)
    .where(inArray(users.email, emails));
  return emails.flatMap((email) => rows.filter((row) => row.email === email)) as AuthUser[];
}

/** A second jury member beside the network's animator, from a département without laureate. */
async function demoJury(db: Database, adminId: string) {
  const created = await createAccount({
    email: "jury.expert@demo.territoires.fr",
    password: DEMO_PASSWORD,
    name: "Bernard Le Du",
    jobTitle: "Expert numérique territorial",
    profileKind: "partenaire",
    collectivityCode: "dep-29",
    approvedBy: adminId,
  });
  if (created.ok) await setRoles(created.value.userId, ["jury"]);
  return usersByEmail(db, ["jury.expert@demo.territoires.fr", "moderation@demo.territoires.fr"]);
}

export async function demoLabel(db: Database) {
  const questionnaire = await importDefaultQuestionnaire();
  const [admin] = await usersByEmail(db, ["admin@demo.territoires.fr"]);
  if (!admin) return "pas de compte administrateur : label non chargé";
  const now = Date.now();
  // The open campaign is the year whose spring is the closest ahead (December 2026 → 2027).
  const openYear = new Date(now + 120 * DAY).getFullYear();
  const jury = await demoJury(db, admin.id);
  let results = 0;
  for (const year of [openYear - 2, openYear - 1]) {
    await createCampaign({
      year,
      title: `Label ${year}`,
      opensAt: paris(`${year - 1}-04-01T09:00`),
      registrationDeadline: paris(`${year - 1}-10-15T23:59`),
      submissionDeadline: paris(`${year - 1}-11-15T23:59`),
      juryStartsAt: paris(`${year - 1}-11-20T09:00`),
      juryEndsAt: paris(`${year}-01-10T18:00`),
      publishedAt: paris(`${year}-02-01T10:00`),
      questionnaireId: questionnaire.id,
    });
    const laureates = [
      ...(await pastLaureates(db, year === openYear - 2 ? 0 : 1)),
      ...(await peerVillages(db)).map((v, index) => ({
        code: v.code,
        level: 1 + ((index + year) % 3),
      })),
    ];
    const parthenay = await findEpci(db, "Parthenay-Gâtine");
    if (parthenay) laureates.push({ code: parthenay, level: year % 2 === 0 ? 3 : 4 });
    const at = paris(`${year - 1}-10-01T10:00`);
    for (const laureate of laureates) {
      const id = await fillAndSubmit(admin, year, laureate.code, laureate.level, at);
      if (!id) continue;
      const feedback = `Le jury salue un dossier ${laureate.level >= 4 ? "remarquable" : "sérieux"} et encourage la collectivité à poursuivre sa démarche collective.`;
      const mentions =
        laureate.level === 5
          ? ["excellence-numerique"]
          : laureate.level === 4 && laureate.code === "60057"
            ? ["inclusion-numerique"]
            : [];
      if (year === openYear - 1 && laureate.level >= 4)
        await deliberate(admin, jury, id, laureate.level, mentions);
      await validateResult(admin, id, { level: laureate.level, mentions, feedback });
      const quote = quotes[laureate.code];
      if (quote) await setQuote(admin, id, quote);
      results += 1;
    }
  }
  await openCampaign(openYear, questionnaire.id, now);
  const draft = await lavoncourtDraft(db, openYear);
  return `${results} résultats publiés sur deux campagnes, campagne ${openYear} ouverte${draft ? ", brouillon de Lavoncourt" : ""}`;
}

/** Two jury members score the application and exchange in its deliberation thread. */
async function deliberate(
  admin: AuthUser,
  jury: AuthUser[],
  id: string,
  level: number,
  mentions: string[],
) {
  for (const member of jury) {
    const assigned = await assignJury(admin, id, member.id);
    if (!assigned.ok) continue;
    await saveReview(member, id, {
      grid: {},
      proposedLevel: level,
      mentions,
      comment: "Dossier complet et bien documenté.",
    });
  }
  const topicId = (await getApplication(admin, id))?.deliberationTopicId;
  if (topicId && jury[0]) {
    await createPost(jury[0], {
      topicId,
      body: `Je propose ${level} @ : les preuves sont solides sur la plupart des enjeux.`,
    });
  }
}

async function openCampaign(year: number, questionnaireId: string, now: number) {
  const at = (days: number, time: string) => {
    const date = new Date(now + days * DAY);
    const local = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}T${time}`;
    return paris(local);
  };
  await createCampaign({
    year,
    title: `Label ${year}`,
    opensAt: at(-30, "09:00"),
    registrationDeadline: at(45, "23:59"),
    submissionDeadline: at(75, "23:59"),
    juryStartsAt: at(80, "09:00"),
    juryEndsAt: at(120, "18:00"),
    publishedAt: at(130, "10:00"),
    questionnaireId,
  });
}

/** Lavoncourt's référente starts from last year's answers: all "à confirmer". */
async function lavoncourtDraft(db: Database, year: number) {
  const [referent] = await usersByEmail(db, ["maire.lavoncourt@demo.territoires.fr"]);
  if (!referent) return false;
  const registered = await registerApplication(referent, year, { carryOver: true });
  return registered.ok;
}
