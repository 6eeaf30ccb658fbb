import { labelCategories, labelQuestionKinds } from "../../db/schema/label-constants";
import { localToInstant, PARIS } from "./dates";
import { mentions } from "./label";
import { themeSlugs } from "./themes";
import { departmentCodeSchema, regionCodeSchema, z } from "./validation";

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

/** Options typed one per line, "valeur | libellé | points"; an error names its line. */
const optionLinesSchema = z
  .string()
  .max(10_000, "10 000 caractères au plus.")
  .default("")
  .transform((text, context) => {
    const lines = text
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "");
    const options = lines.map((line) => {
      const [value, label, points] = line.split("|").map((part) => part.trim());
      return { value: value ?? "", label: label || value || "", points: Number(points ?? 0) };
    });
    const checked = z.array(QuestionOptionSchema).max(30, "30 options au plus.").safeParse(options);
    if (checked.success) return checked.data;
    for (const issue of checked.error.issues) {
      const line = typeof issue.path[0] === "number" ? `Ligne ${issue.path[0] + 1} : ` : "";
      context.issues.push({ code: "custom", input: text, message: `${line}${issue.message}` });
    }
    return z.NEVER;
  });

/** The admins' form of a question: a question definition, its enjeu, options as lines. */
export const QuestionFormSchema = z.object({
  intent: z.enum(["add", "update"]),
  questionId: z.string().max(80),
  section: z.enum(themeSlugs, { error: "Choisissez un enjeu." }),
  code: QuestionDefinitionSchema.shape.code,
  kind: z.enum(labelQuestionKinds, { error: "Choisissez un type de question." }),
  prompt: z
    .string({ error: "Écrivez la question." })
    .trim()
    .min(5, "5 caractères au moins.")
    .max(500, "500 caractères au plus."),
  help: z.string().trim().max(1000, "1 000 caractères au plus.").default(""),
  required: z
    .string()
    .optional()
    .transform((value) => value === "on"),
  weight: z.coerce
    .number<string>({ error: "Des points de 0 à 100." })
    .int("Des points de 0 à 100.")
    .min(0, "Des points de 0 à 100.")
    .max(100, "Des points de 0 à 100.")
    .default(0),
  options: optionLinesSchema,
  categories: z
    .array(z.enum(labelCategories, { error: "Catégorie inconnue." }), {
      error: "Choisissez au moins une catégorie.",
    })
    .min(1, "Choisissez au moins une catégorie."),
});

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

const mentionSlugs = mentions.map((m) => m.slug) as [string, ...string[]];

const yearSchema = z.coerce
  .number<string>({ error: "Année invalide." })
  .int("Année invalide.")
  .min(2000, "Année invalide.")
  .max(2100, "Année invalide.");

const checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on");

/** A collectivity registered for the campaign of `year`, from last year's answers or not. */
export const RegisterSchema = z.object({
  year: yearSchema,
  carryOver: checkbox,
});

/** A contributor credited by the team ("add-credit"), or the member themself ("credit-me"). */
export const CreditSchema = z.object({
  intent: z.enum(["add-credit", "credit-me"]),
  name: z.string({ error: "Indiquez un nom." }).trim().min(2, "Indiquez un nom.").max(120),
  role: z.string().trim().max(160).default(""),
  publicConsent: checkbox,
});

export const QuoteSchema = z.object({
  intent: z.literal("quote"),
  quote: z.string().trim().max(400, "400 caractères au plus.").default(""),
});

const levelSchema = z.coerce
  .number<string>({ error: "Choisissez un niveau de 1 à 5 @." })
  .int("Choisissez un niveau de 1 à 5 @.")
  .min(1, "Choisissez un niveau de 1 à 5 @.")
  .max(5, "Choisissez un niveau de 1 à 5 @.");

/** Checked mentions (conform gives an array, or nothing when none is checked). */
const mentionsSchema = z
  .array(z.enum(mentionSlugs, { error: "Mention inconnue." }))
  .default([])
  .transform((values) => [...new Set(values)]);

/** The admins' validation of a result: final level, mentions and the collectivity's feedback. */
export const ValidationSchema = z.object({
  intent: z.literal("validate"),
  level: levelSchema,
  mentions: mentionsSchema,
  feedback: z
    .string({ error: "Écrivez un retour pour la collectivité." })
    .trim()
    .min(10, "Écrivez un retour d'au moins quelques mots pour la collectivité.")
    .max(5000, "5 000 caractères au plus."),
});

const juryUserIdSchema = z
  .string({ error: "Choisissez un membre du jury." })
  .min(1, "Choisissez un membre du jury.")
  .max(64, "Choisissez un membre du jury.");

export const AssignJurySchema = z.object({
  intent: z.literal("assign"),
  juryUserId: juryUserIdSchema,
});
export const UnassignJurySchema = z.object({
  intent: z.literal("unassign"),
  juryUserId: juryUserIdSchema,
});

export const GRID_MAX = 4;

const gridScoreSchema = z.coerce
  .number<string>({ error: `Note de 0 à ${GRID_MAX}.` })
  .int(`Note de 0 à ${GRID_MAX}.`)
  .min(0, `Note de 0 à ${GRID_MAX}.`)
  .max(GRID_MAX, `Note de 0 à ${GRID_MAX}.`)
  .optional();

/** A jury member's evaluation: a note per enjeu (fields `grid.<enjeu>`), a level, mentions. */
export const ReviewSchema = z.object({
  intent: z.literal("review"),
  grid: z
    .object(Object.fromEntries(themeSlugs.map((slug) => [slug, gridScoreSchema])))
    .default({})
    .transform((grid) =>
      Object.fromEntries(
        Object.entries(grid).filter((entry): entry is [string, number] => entry[1] !== undefined),
      ),
    ),
  proposedLevel: levelSchema.optional().transform((level) => level ?? null),
  mentions: mentionsSchema,
  comment: z.string().trim().max(5000, "5 000 caractères au plus.").default(""),
});

/** A jury member withdraws from an application, saying why (optional). */
export const ConflictSchema = z.object({
  intent: z.literal("conflict"),
  reason: z.string().trim().max(500, "500 caractères au plus.").default(""),
});

/**
 * A campaign date as entered in a datetime-local field, in Paris time, read as an instant; a time
 * skipped by the spring change does not exist in Paris.
 */
const localDateTime = z
  .string({ error: "Indiquez une date et une heure." })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Indiquez une date et une heure.")
  .transform((value, context) => {
    const instant = localToInstant(value, PARIS);
    if (instant) return instant;
    context.issues.push({
      code: "custom",
      input: value,
      message: "Cette heure n'existe pas à Paris (changement d'heure).",
    });
    return z.NEVER;
  });

/** A campaign created or edited by the admins (the year comes from the URL when edited). */
export const CampaignSchema = z.object({
  year: yearSchema,
  title: z.string({ error: "Indiquez un titre." }).trim().min(3, "Indiquez un titre.").max(120),
  questionnaireId: z.string({ error: "Choisissez un questionnaire." }).min(1),
  opensAt: localDateTime,
  registrationDeadline: localDateTime,
  submissionDeadline: localDateTime,
  juryStartsAt: localDateTime,
  juryEndsAt: localDateTime,
  publishedAt: localDateTime,
});

/** Filters of the palmarès, the API and the CSV: one schema, the same names everywhere. */
export const ResultsQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  region: regionCodeSchema.optional(),
  department: departmentCodeSchema.optional(),
  level: z.coerce.number().int().min(1).max(5).optional(),
  category: z.enum(labelCategories).optional(),
});
