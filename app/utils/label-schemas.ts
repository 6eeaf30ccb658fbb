import { labelCategories, labelQuestionKinds } from "../../db/schema/label-constants";
import { themeSlugs } from "./themes";
import { z } from "./validation";

/**
 * Schemas of the label shared by the data files, the admin forms and the API: one per input.
 */
export const QuestionOptionSchema = z.object({
  value: z.string().trim().min(1).max(80),
  label: z.string().trim().min(1).max(200),
  points: z.number().int().min(0).max(100),
});

export const QuestionDefinitionSchema = z.object({
  code: z
    .string()
    .regex(/^[a-z0-9-]{2,60}$/, "Code de 2 à 60 caractères : minuscules, chiffres et tirets."),
  kind: z.enum(labelQuestionKinds),
  prompt: z.string().trim().min(5).max(500),
  help: z.string().trim().max(1000).default(""),
  required: z.boolean().default(false),
  weight: z.number().int().min(0).max(100).default(0),
  options: z.array(QuestionOptionSchema).max(30).default([]),
  categories: z.array(z.enum(labelCategories)).min(1),
});
export type QuestionDefinition = z.output<typeof QuestionDefinitionSchema>;

/** A questionnaire data file (`app/data/label/questionnaire.json`): one section per enjeu. */
export const QuestionnaireFileSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]{2,60}$/),
  title: z.string().min(3).max(200),
  sections: z.array(
    z.object({
      theme: z.enum(themeSlugs),
      questions: z.array(QuestionDefinitionSchema),
    }),
  ),
});
export type QuestionnaireFile = z.output<typeof QuestionnaireFileSchema>;
