import type { CampaignInput } from "../models/label-campaigns.server";
import type { QuestionEdit } from "../models/label-questionnaires.server";
import { fieldErrors } from "./api.server";
import { localToInstant, PARIS } from "./dates";
import { CampaignSchema, campaignDateFields, QuestionDefinitionSchema } from "./label-schemas";
import { themeSlugs } from "./themes";

/**
 * Admin forms of the label: campaign dates typed in Paris time, questions with their options
 * written one per line ("valeur | libellé | points").
 */
export type FormOutcome<T> =
  { ok: true; value: T } | { ok: false; fieldErrors: Record<string, string[]> };

export function readCampaignForm(formData: FormData): FormOutcome<CampaignInput> {
  const parsed = CampaignSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrors(parsed.error) };
  const errors: Record<string, string[]> = {};
  const dates = {} as Record<(typeof campaignDateFields)[number], Date>;
  for (const field of campaignDateFields) {
    const instant = localToInstant(parsed.data[field], PARIS);
    // A time skipped by the spring change does not exist in Paris.
    if (!instant) errors[field] = ["Cette heure n'existe pas à Paris (changement d'heure)."];
    else dates[field] = instant;
  }
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    value: {
      year: parsed.data.year,
      title: parsed.data.title,
      questionnaireId: parsed.data.questionnaireId,
      ...dates,
    },
  };
}

function readOptions(text: string) {
  const options = [];
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line === "") continue;
    const [value, label, points] = line.split("|").map((part) => part.trim());
    options.push({ value: value ?? "", label: label ?? value ?? "", points: Number(points ?? 0) });
  }
  return options;
}

export function optionsText(options: Array<{ value: string; label: string; points: number }>) {
  return options.map((o) => `${o.value} | ${o.label} | ${o.points}`).join("\n");
}

export function readQuestionForm(formData: FormData): FormOutcome<QuestionEdit> {
  const section = String(formData.get("section") ?? "");
  const parsed = QuestionDefinitionSchema.safeParse({
    code: formData.get("code"),
    kind: formData.get("kind"),
    prompt: formData.get("prompt"),
    help: formData.get("help") ?? "",
    required: formData.get("required") === "on",
    weight: Number(formData.get("weight") ?? 0),
    options: readOptions(String(formData.get("options") ?? "")),
    categories: formData.getAll("categories").map(String),
  });
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (!themeSlugs.includes(section)) errors.section = ["Choisissez un enjeu."];
  if (!parsed.success || Object.keys(errors).length > 0) {
    // Option errors come as "options.2.points": show them on the options field.
    const grouped: Record<string, string[]> = {};
    for (const [key, messages] of Object.entries(errors)) {
      (grouped[key.split(".")[0]!] ??= []).push(...messages);
    }
    return { ok: false, fieldErrors: grouped };
  }
  return { ok: true, value: { ...parsed.data, section } };
}
