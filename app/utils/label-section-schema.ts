import type { LabelAnswerValue, LabelQuestionKind } from "../../db/schema/label-constants";
import { LONG_TEXT_MAX, SHORT_TEXT_MAX } from "./label";
import { z } from "./validation";

/**
 * The form of a questionnaire section (the same fields with and without JavaScript, and for the
 * autosave). The questions are data, so its zod schema is built from them, once for the action
 * and once for the client. Field names: `q-<id>` the answer, `v-<id>` and `h-<id>` the version and
 * fingerprint the form was filled from, `c-<id>` "je confirme" on a carried-over answer.
 */
export type SectionFormQuestion = {
  id: string;
  kind: LabelQuestionKind;
  options: ReadonlyArray<{ value: string }>;
};

export type SectionEntry = {
  questionId: string;
  value: LabelAnswerValue | null;
  baseVersion: number;
  baseHash: string;
  confirm: boolean;
};

export const answerField = (questionId: string) => `q-${questionId}`;
export const versionField = (questionId: string) => `v-${questionId}`;
export const hashField = (questionId: string) => `h-${questionId}`;
export const confirmField = (questionId: string) => `c-${questionId}`;

/** Checkboxes send nothing, one value (a string) or several. */
const chosenValues = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) =>
    value === undefined ? [] : [...new Set(Array.isArray(value) ? value : [value])].sort(),
  );

const parseNumber = (raw: string) => Number(raw.replace(/\s/g, "").replace(",", "."));

function textSchema(kind: "short_text" | "long_text") {
  const max = kind === "short_text" ? SHORT_TEXT_MAX : LONG_TEXT_MAX;
  return z
    .string()
    .trim()
    .max(max, {
      error: (issue) => `${max} caractères au plus (${String(issue.input).length} saisis).`,
    })
    .optional()
    .transform((text): LabelAnswerValue | null => (text ? { kind, value: text } : null));
}

function answerSchema(question: SectionFormQuestion, evidenceIds: ReadonlySet<string>) {
  const known = new Set(question.options.map((o) => o.value));
  switch (question.kind) {
    case "yesno":
      return z
        .enum(["oui", "non"], { error: "Répondez par oui ou non." })
        .optional()
        .transform((v): LabelAnswerValue | null =>
          v === undefined ? null : { kind: "yesno", value: v === "oui" },
        );
    case "single":
      return z
        .string()
        .refine((v) => known.has(v), "Choisissez une des réponses proposées.")
        .optional()
        .transform((v): LabelAnswerValue | null =>
          v === undefined ? null : { kind: "single", value: v },
        );
    case "multiple":
      return chosenValues
        .refine((values) => values.every((v) => known.has(v)), {
          error: "Choisissez parmi les réponses proposées.",
        })
        .transform((values): LabelAnswerValue | null =>
          values.length === 0 ? null : { kind: "multiple", value: values },
        );
    case "initiatives":
      return chosenValues
        .refine((values) => values.every((id) => evidenceIds.has(id)), {
          error: "Choisissez parmi les initiatives de votre collectivité.",
        })
        .transform((values): LabelAnswerValue | null =>
          values.length === 0 ? null : { kind: "initiatives", value: values },
        );
    case "number":
      return z
        .string()
        .trim()
        .refine((raw) => {
          const number = parseNumber(raw);
          return Number.isFinite(number) && number >= 0 && number <= 1e9;
        }, "Saisissez un nombre positif, par exemple 12 ou 12,5.")
        .optional()
        .transform((raw): LabelAnswerValue | null =>
          raw === undefined ? null : { kind: "number", value: parseNumber(raw) },
        );
    case "short_text":
    case "long_text":
      return textSchema(question.kind);
  }
}

/**
 * The schema of a section's form: every question's answer checked by its kind (choices among its
 * options, the collectivity's initiatives as evidence), turned into the entries to save. A question
 * whose version field was not sent was not in the form, and is left alone.
 */
export function sectionSchema(
  questions: ReadonlyArray<SectionFormQuestion>,
  evidenceIds: Iterable<string>,
) {
  const evidence = new Set(evidenceIds);
  const shape: Record<string, z.ZodType> = {};
  for (const question of questions) {
    shape[answerField(question.id)] = answerSchema(question, evidence);
    shape[versionField(question.id)] = z.string().max(12).optional();
    shape[hashField(question.id)] = z.string().max(64).optional();
    shape[confirmField(question.id)] = z.string().max(8).optional();
  }
  return z.object(shape).transform((fields): SectionEntry[] =>
    questions.flatMap((question) => {
      const version = fields[versionField(question.id)] as string | undefined;
      if (version === undefined) return [];
      return [
        {
          questionId: question.id,
          value: fields[answerField(question.id)] as LabelAnswerValue | null,
          baseVersion: Math.max(0, Number.parseInt(version, 10) || 0),
          baseHash: (fields[hashField(question.id)] as string | undefined) ?? "",
          confirm: fields[confirmField(question.id)] === "on",
        },
      ];
    }),
  );
}

/** An answer as the form's fields hold it: what conform starts the field with. */
export function answerFormValue(value: LabelAnswerValue | null | undefined): string | string[] {
  if (!value) return "";
  switch (value.kind) {
    case "yesno":
      return value.value ? "oui" : "non";
    case "multiple":
    case "initiatives":
      return value.value;
    case "number":
      return String(value.value);
    default:
      return value.value;
  }
}
