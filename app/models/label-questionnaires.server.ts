import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  labelAnswers,
  labelApplications,
  labelQuestionnaires,
  labelQuestions,
  type LabelCategory,
} from "../../db/schema";
import questionnaireFile from "../data/label/questionnaire.json";
import { randomId, sha256 } from "../utils/ids.server";
import {
  QuestionnaireFileSchema,
  type QuestionDefinition,
  type QuestionnaireFile,
} from "../utils/label-schemas";
import { themeSlugs } from "../utils/themes";
import { failure, type Result } from "./result.server";

/**
 * Questionnaires are data: loaded from a file of the repository into PostgreSQL (a new version
 * when the file changed), then edited by admins question by question.
 */

export const questionColumns = {
  id: labelQuestions.id,
  code: labelQuestions.code,
  version: labelQuestions.version,
  section: labelQuestions.section,
  position: labelQuestions.position,
  kind: labelQuestions.kind,
  prompt: labelQuestions.prompt,
  help: labelQuestions.help,
  required: labelQuestions.required,
  weight: labelQuestions.weight,
  options: labelQuestions.options,
  categories: labelQuestions.categories,
};

export type Question = {
  id: string;
  code: string;
  version: number;
  section: string;
  position: number;
  kind: QuestionDefinition["kind"];
  prompt: string;
  help: string;
  required: boolean;
  weight: number;
  options: QuestionDefinition["options"];
  categories: LabelCategory[];
};

/**
 * Loads a questionnaire definition. Returns the latest version of its key when the content is
 * the same, otherwise writes a new version.
 */
export async function importQuestionnaire(definition: QuestionnaireFile) {
  const parsed = QuestionnaireFileSchema.parse(definition);
  const sourceHash = sha256(JSON.stringify(parsed));
  return db.transaction(async (tx) => {
    // Two instances starting at once must not both write version N + 1.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`label-q:${parsed.key}`}))`);
    const [latest] = await tx
      .select({
        id: labelQuestionnaires.id,
        version: labelQuestionnaires.version,
        sourceHash: labelQuestionnaires.sourceHash,
      })
      .from(labelQuestionnaires)
      .where(eq(labelQuestionnaires.key, parsed.key))
      .orderBy(desc(labelQuestionnaires.version))
      .limit(1);
    if (latest?.sourceHash === sourceHash) return { id: latest.id, created: false };
    const id = randomId();
    await tx.insert(labelQuestionnaires).values({
      id,
      key: parsed.key,
      version: (latest?.version ?? 0) + 1,
      title: parsed.title,
      sourceHash,
    });
    const rows = parsed.sections.flatMap((section) =>
      section.questions.map((question, position) => ({
        ...question,
        id: randomId(),
        questionnaireId: id,
        section: section.theme,
        position,
      })),
    );
    if (rows.length > 0) await tx.insert(labelQuestions).values(rows);
    return { id, created: true };
  });
}

/** The questionnaire of the repository (app/data/label/questionnaire.json). */
export function importDefaultQuestionnaire() {
  return importQuestionnaire(questionnaireFile as QuestionnaireFile);
}

const sectionOrder = sql`array_position(${sql.raw(
  `array[${themeSlugs.map((slug) => `'${slug.replace(/'/g, "")}'`).join(",")}]::text[]`,
)}, ${labelQuestions.section})`;

/** Current questions of a questionnaire, in enjeu order; only a catégorie's (and an enjeu's) when given. */
export async function currentQuestions(
  questionnaireId: string,
  category?: LabelCategory,
  executor: Executor = db,
  section?: string,
): Promise<Question[]> {
  return executor
    .select(questionColumns)
    .from(labelQuestions)
    .where(
      and(
        eq(labelQuestions.questionnaireId, questionnaireId),
        isNull(labelQuestions.replacedAt),
        category ? sql`${category} = any(${labelQuestions.categories})` : undefined,
        section ? eq(labelQuestions.section, section) : undefined,
      ),
    )
    .orderBy(sectionOrder, asc(labelQuestions.position));
}

const QUESTIONNAIRES_CACHED = 20;
const cachedQuestions = new Map<string, readonly Question[]>();

/**
 * Every current question of a questionnaire at one revision, read once per process: saving an
 * answer checks against it instead of reading the questions again. Keyed on the revision, which
 * every edit moves, so it is never stale; callers must not change what it returns. Only what was
 * read is kept (no pending read is shared): a transaction that passes itself as `executor` never
 * waits on another connection of a busy pool.
 */
export async function questionnaireAtRevision(
  questionnaireId: string,
  revision: number,
  executor: Executor = db,
): Promise<readonly Question[]> {
  const key = `${questionnaireId}:${revision}`;
  const kept = cachedQuestions.get(key);
  if (kept) return kept;
  const questions = Object.freeze(await currentQuestions(questionnaireId, undefined, executor));
  cachedQuestions.set(key, questions);
  while (cachedQuestions.size > QUESTIONNAIRES_CACHED) {
    cachedQuestions.delete(cachedQuestions.keys().next().value!);
  }
  return questions;
}

/** The enjeux among `questions`, in enjeu order. */
export function sectionsOf(questions: ReadonlyArray<{ section: string }>) {
  const present = new Set(questions.map((question) => question.section));
  return themeSlugs.filter((slug) => present.has(slug));
}

/** Marks a questionnaire as edited, in the transaction of the edit. */
async function bumpRevision(tx: Executor, questionnaireId: string) {
  await tx
    .update(labelQuestionnaires)
    .set({ revision: sql`${labelQuestionnaires.revision} + 1` })
    .where(eq(labelQuestionnaires.id, questionnaireId));
}

/** The enjeux a catégorie's questionnaire asks about, in enjeu order (without the questions). */
export async function questionnaireSections(questionnaireId: string, category: LabelCategory) {
  const rows = await db
    .selectDistinct({ section: labelQuestions.section })
    .from(labelQuestions)
    .where(
      and(
        eq(labelQuestions.questionnaireId, questionnaireId),
        isNull(labelQuestions.replacedAt),
        sql`${category} = any(${labelQuestions.categories})`,
      ),
    );
  return sectionsOf(rows);
}

export async function listQuestionnaires() {
  return db
    .select({
      id: labelQuestionnaires.id,
      key: labelQuestionnaires.key,
      version: labelQuestionnaires.version,
      title: labelQuestionnaires.title,
      createdAt: labelQuestionnaires.createdAt,
      questions: sql<number>`(select count(*) from ${labelQuestions}
        where ${labelQuestions.questionnaireId} = ${labelQuestionnaires.id}
        and ${labelQuestions.replacedAt} is null)`.mapWith(Number),
    })
    .from(labelQuestionnaires)
    .orderBy(asc(labelQuestionnaires.key), desc(labelQuestionnaires.version));
}

export async function getQuestionnaire(id: string) {
  const [row] = await db
    .select({
      id: labelQuestionnaires.id,
      key: labelQuestionnaires.key,
      version: labelQuestionnaires.version,
      title: labelQuestionnaires.title,
    })
    .from(labelQuestionnaires)
    .where(eq(labelQuestionnaires.id, id));
  return row ?? null;
}

export type QuestionEdit = QuestionDefinition & { section: string };

/**
 * Changes a question. When a submitted application answered it, the change is a new version
 * (the submitted answers keep the old wording); drafts follow the new version.
 */
export async function updateQuestion(
  questionnaireId: string,
  questionId: string,
  edit: QuestionEdit,
): Promise<Result<{ id: string; newVersion: boolean }>> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: labelQuestions.id, version: labelQuestions.version })
      .from(labelQuestions)
      .where(
        and(
          eq(labelQuestions.id, questionId),
          eq(labelQuestions.questionnaireId, questionnaireId),
          isNull(labelQuestions.replacedAt),
        ),
      )
      .for("update");
    if (!current) return failure(404, {}, "Question introuvable.");
    await bumpRevision(tx, questionnaireId);
    const { code: _code, ...changes } = edit;
    if (!(await answeredInSubmitted(tx, questionId))) {
      await tx.update(labelQuestions).set(changes).where(eq(labelQuestions.id, questionId));
      return { ok: true, value: { id: questionId, newVersion: false } } as const;
    }
    const [old] = await tx.select().from(labelQuestions).where(eq(labelQuestions.id, questionId));
    const id = randomId();
    await tx
      .update(labelQuestions)
      .set({ replacedAt: new Date() })
      .where(eq(labelQuestions.id, questionId));
    await tx
      .insert(labelQuestions)
      .values({ ...old!, ...changes, id, version: current.version + 1, replacedAt: null });
    await repointDraftAnswers(tx, questionId, id);
    return { ok: true, value: { id, newVersion: true } } as const;
  });
}

/** Adds a question at the end of its section. */
export async function addQuestion(questionnaireId: string, edit: QuestionEdit) {
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: labelQuestions.id })
      .from(labelQuestions)
      .where(
        and(
          eq(labelQuestions.questionnaireId, questionnaireId),
          eq(labelQuestions.code, edit.code),
        ),
      );
    if (taken) return failure(409, { code: ["Une question porte déjà ce code."] });
    const [last] = await tx
      .select({ position: sql<number>`coalesce(max(${labelQuestions.position}), -1)` })
      .from(labelQuestions)
      .where(
        and(
          eq(labelQuestions.questionnaireId, questionnaireId),
          eq(labelQuestions.section, edit.section),
        ),
      );
    const id = randomId();
    await tx
      .insert(labelQuestions)
      .values({ ...edit, id, questionnaireId, position: Number(last?.position ?? -1) + 1 });
    await bumpRevision(tx, questionnaireId);
    return { ok: true, value: { id } } as const;
  });
}

/** Withdraws a question from the questionnaire; submitted answers keep pointing at it. */
export async function retireQuestion(questionnaireId: string, questionId: string) {
  return db.transaction(async (tx) => {
    const retired = await tx
      .update(labelQuestions)
      .set({ replacedAt: new Date() })
      .where(
        and(
          eq(labelQuestions.id, questionId),
          eq(labelQuestions.questionnaireId, questionnaireId),
          isNull(labelQuestions.replacedAt),
        ),
      )
      .returning({ id: labelQuestions.id });
    if (retired.length > 0) await bumpRevision(tx, questionnaireId);
    return retired.length > 0;
  });
}

async function answeredInSubmitted(tx: Executor, questionId: string) {
  const [row] = await tx
    .select({ one: sql`1` })
    .from(labelAnswers)
    .innerJoin(labelApplications, eq(labelApplications.id, labelAnswers.applicationId))
    .where(and(eq(labelAnswers.questionId, questionId), eq(labelApplications.status, "submitted")))
    .limit(1);
  return Boolean(row);
}

async function repointDraftAnswers(tx: Executor, fromId: string, toId: string) {
  await tx.execute(sql`update ${labelAnswers} set question_id = ${toId}
    where question_id = ${fromId} and application_id in
      (select id from ${labelApplications} where status = 'draft')`);
}
