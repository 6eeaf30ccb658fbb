import type { LabelAnswerValue, LabelQuestionKind, LabelQuestionOption } from "../../db/schema";
import { LONG_TEXT_MAX, SHORT_TEXT_MAX } from "./label";


/**
 * Reads the form of a questionnaire section (the same fields with and without JavaScript) into
 * answers. Field names: `q-<id>` the answer, `v-<id>` and `h-<id>` the version and fingerprint
 * the form was filled from, `c-<id>` "je confirme" on a carried-over answer.
 */
type FormQuestion = {
  id: string;
  kind: LabelQuestionKind;
  options: LabelQuestionOption[];
};

export type ParsedSection = {
  entries: Array<{
    questionId: string;
    value: LabelAnswerValue | null;
    baseVersion: number;
    baseHash: string;
    confirm: boolean;
  }>;
  fieldErrors: Record<string, string[]>;
  /** What the person sent, to fill the form again after a refusal. */
  values: Record<string, LabelAnswerValue | null>;
};

function readValue(
  question: FormQuestion,
  formData: FormData,
  evidenceIds: ReadonlySet<string>,
): { value: LabelAnswerValue | null; error?: string } {
  const name = `q-${question.id}`;
  const raw = String(formData.get(name) ?? "").trim();
  const known = new Set(question.options.map((o) => o.value));
  switch (question.kind) {
    case "yesno":
      if (raw === "") return { value: null };
      if (raw !== "oui" && raw !== "non") return { value: null, error: "Répondez par oui ou non." };
      return { value: { kind: "yesno", value: raw === "oui" } };
    case "single":
      if (raw === "") return { value: null };
      if (!known.has(raw)) return { value: null, error: "Choisissez une des réponses proposées." };
      return { value: { kind: "single", value: raw } };
    case "multiple": {
      const chosen = formData.getAll(name).map(String);
      if (chosen.some((value) => !known.has(value))) {
        return { value: null, error: "Choisissez parmi les réponses proposées." };
      }
      return chosen.length === 0
        ? { value: null }
        : { value: { kind: "multiple", value: [...new Set(chosen)].sort() } };
    }
    case "number": {
      if (raw === "") return { value: null };
      const number = Number(raw.replace(/\s/g, "").replace(",", "."));
      if (!Number.isFinite(number) || number < 0 || number > 1e9) {
        return { value: null, error: "Saisissez un nombre positif, par exemple 12 ou 12,5." };
      }
      return { value: { kind: "number", value: number } };
    }
    case "short_text":
    case "long_text": {
      const max = question.kind === "short_text" ? SHORT_TEXT_MAX : LONG_TEXT_MAX;
      const text = String(formData.get(name) ?? "").trim();
      if (text.length > max) {
        return {
          value: { kind: question.kind, value: text },
          error: `${max} caractères au plus (${text.length} saisis).`,
        };
      }
      return text === "" ? { value: null } : { value: { kind: question.kind, value: text } };
    }
    case "initiatives": {
      const chosen = formData.getAll(name).map(String);
      if (chosen.some((id) => !evidenceIds.has(id))) {
        return { value: null, error: "Choisissez parmi les initiatives de votre collectivité." };
      }
      return chosen.length === 0
        ? { value: null }
        : { value: { kind: "initiatives", value: [...new Set(chosen)].sort() } };
    }
  }
}

export function readSectionForm(
  formData: FormData,
  questions: FormQuestion[],
  evidenceIds: ReadonlySet<string>,
): ParsedSection {
  const parsed: ParsedSection = { entries: [], fieldErrors: {}, values: {} };
  for (const question of questions) {
    // A question whose version field is absent was not in the form that was sent.
    const version = formData.get(`v-${question.id}`);
    if (version === null) continue;
    const { value, error } = readValue(question, formData, evidenceIds);
    parsed.values[question.id] = value;
    if (error) {
      parsed.fieldErrors[question.id] = [error];
      continue;
    }
    parsed.entries.push({
      questionId: question.id,
      value,
      baseVersion: Math.max(0, Number.parseInt(String(version), 10) || 0),
      baseHash: String(formData.get(`h-${question.id}`) ?? ""),
      confirm: formData.get(`c-${question.id}`) === "on",
    });
  }
  return parsed;
}

/** The text of an answer, as shown beside a conflict or to the jury. */
export function answerText(
  value: LabelAnswerValue | null | undefined,
  options: LabelQuestionOption[],
  initiativeTitles: ReadonlyMap<string, string> = new Map(),
) {
  if (!value) return "Sans réponse";
  const labelOf = (v: string) => options.find((o) => o.value === v)?.label ?? v;
  switch (value.kind) {
    case "yesno":
      return value.value ? "Oui" : "Non";
    case "single":
      return labelOf(value.value);
    case "multiple":
      return value.value.map(labelOf).join(", ");
    case "number":
      return value.value.toLocaleString("fr-FR");
    case "initiatives":
      return value.value.map((id) => initiativeTitles.get(id) ?? "Initiative retirée").join(", ");
    default:
      return value.value;
  }
}
