import type { LabelAnswerValue, LabelQuestionOption } from "../../db/schema";

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
