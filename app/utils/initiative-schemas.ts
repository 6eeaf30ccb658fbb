import { budgetBrackets, collectivityKinds } from "../../db/schema";
import { populationBrackets, SUMMARY_MAX } from "./initiatives";
import { themeSlugs } from "./themes";
import { departmentCodeSchema, optionalEmpty, regionCodeSchema, z } from "./validation";

const currentYear = () => new Date().getFullYear();

export const titleSchema = z
  .string({ error: "Le titre est requis." })
  .trim()
  .min(5, "Le titre doit compter au moins 5 caractères.")
  .max(140, "Le titre ne peut pas dépasser 140 caractères.");

export const summarySchema = z
  .string({ error: "Le résumé est requis." })
  .trim()
  .min(20, "Le résumé doit compter au moins 20 caractères.")
  .max(SUMMARY_MAX, `Le résumé ne peut pas dépasser ${SUMMARY_MAX} caractères.`);

export const bodySchema = z
  .string()
  .trim()
  .max(20_000, "Le texte ne peut pas dépasser 20 000 caractères.");

export const themesSchema = z
  .array(z.enum(themeSlugs, { error: "Thème inconnu." }), {
    error: "Choisissez au moins un thème.",
  })
  .min(1, "Choisissez au moins un thème.")
  .max(4, "Choisissez au plus 4 thèmes.")
  .transform((values) => [...new Set(values)]);

export const tagSchema = z
  .string()
  .trim()
  .min(2, "Chaque mot-clé doit compter au moins 2 caractères.")
  .max(40, "Chaque mot-clé doit compter au plus 40 caractères.");

export const tagsSchema = z
  .array(tagSchema)
  .max(12, "Au plus 12 mots-clés.")
  .transform((values) => [...new Set(values.map((v) => v.toLowerCase()))]);

export const yearSchema = z.coerce
  .number({ error: "L'année doit être un nombre, par exemple 2023." })
  .int("L'année doit être un nombre entier.")
  .min(1990, "L'année doit être postérieure à 1990.")
  .refine((year) => year <= currentYear() + 1, {
    message: "L'année ne peut pas être dans le futur.",
  });

export const budgetSchema = z.enum(budgetBrackets, { error: "Tranche de budget inconnue." });

/** Only clean http(s) links: a `javascript:` or `data:` link never reaches a page. */
export const urlSchema = z
  .string()
  .trim()
  .max(500, "Le lien est trop long.")
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === "https:" || url.protocol === "http:";
      } catch {
        return false;
      }
    },
    { message: "Lien invalide : il doit commencer par https://." },
  );

export const linkSchema = z.object({
  label: z.string().trim().max(120, "Le libellé du lien est trop long.").default(""),
  url: urlSchema,
});

export const contributorSchema = z.object({
  userId: z.string().max(64).optional(),
  name: z
    .string()
    .trim()
    .min(2, "Le nom d'un contributeur doit compter au moins 2 caractères.")
    .max(120, "Le nom d'un contributeur est trop long."),
  role: z.string().trim().max(120, "La fonction d'un contributeur est trop longue.").default(""),
});

export const statusSchema = z.enum(["draft", "published", "archived"], {
  error: "Statut inconnu : draft, published ou archived.",
});

/** The version an edit started from (`version` of GET, a hidden field of the edit form). */
export const versionSchema = z.coerce
  .number({ error: "La version doit être un nombre entier." })
  .int("La version doit être un nombre entier.")
  .min(1, "La version doit être un nombre entier positif.");

/** Body of POST /api/v1/initiatives (PATCH takes the same fields, all optional). */
export const ApiInitiativeSchema = z.object({
  title: titleSchema,
  summary: summarySchema,
  body: bodySchema.default(""),
  themes: themesSchema,
  tags: tagsSchema.optional(),
  year: yearSchema.nullable().optional(),
  status: statusSchema.optional(),
  budgetBracket: budgetSchema.nullable().optional(),
  links: z.array(linkSchema).max(10, "Au plus 10 liens.").optional(),
  contributors: z.array(contributorSchema).max(30, "Au plus 30 contributeurs.").optional(),
  inspiredBy: z.string().trim().max(200).nullable().optional(),
  collectivityCode: z.string().trim().min(2).max(20).optional(),
});
// No default in a PATCH: a field left out must stay as it is, not be reset. With `version`, the
// PATCH is refused (409) when someone else saved the initiative since that version.
export const ApiInitiativePatchSchema = ApiInitiativeSchema.extend({
  body: bodySchema.optional(),
  version: versionSchema,
}).partial();

/** Query of /initiatives and GET /api/v1/initiatives. */
export const InitiativeQuerySchema = z.object({
  q: z.string().trim().max(200, "La recherche ne peut pas dépasser 200 caractères.").optional(),
  theme: optionalEmpty(
    z.union([z.enum(themeSlugs), z.array(z.enum(themeSlugs))], { error: "Thème inconnu." }),
  ),
  region: optionalEmpty(regionCodeSchema),
  department: optionalEmpty(departmentCodeSchema),
  kind: optionalEmpty(z.enum(collectivityKinds, { error: "Type de collectivité inconnu." })),
  population: optionalEmpty(
    z.enum(populationBrackets.map((b) => b.slug) as [string, ...string[]], {
      error: "Tranche de population inconnue.",
    }),
  ),
  year: optionalEmpty(
    z.coerce.number({ error: "L'année doit être un nombre." }).int().min(1990).max(2100),
  ),
  sort: optionalEmpty(z.enum(["pertinence", "recent"], { error: "Tri inconnu." })),
  page: z.coerce.number({ error: "La page doit être un nombre." }).int().min(1).max(500).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type InitiativeQuery = z.output<typeof InitiativeQuerySchema>;

/** "Libellé | https://…" or a bare address, one per line. */
function parseLinkLines(value: string) {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [first, ...rest] = line.split("|");
      return rest.length > 0
        ? { label: (first ?? "").trim(), url: rest.join("|").trim() }
        : { label: "", url: line };
    });
}

/** "Nom, fonction", one person per line. */
function parseContributorLines(value: string) {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name, ...role] = line.split(",");
      return { name: (name ?? "").trim(), role: role.join(",").trim() };
    });
}

const linesOf = <T extends z.ZodType>(
  parse: (value: string) => unknown[],
  item: T,
  max: number,
  tooMany: string,
) =>
  z
    .string()
    .max(5_000, "Ce champ est trop long.")
    .default("")
    .transform((value, ctx) => {
      const items = parse(value);
      if (items.length > max) {
        ctx.addIssue({ code: "custom", message: tooMany });
        return z.NEVER;
      }
      const parsed: Array<z.output<T>> = [];
      for (const [index, candidate] of items.entries()) {
        const result = item.safeParse(candidate);
        if (!result.success) {
          ctx.addIssue({
            code: "custom",
            message: `Ligne ${index + 1} : ${result.error.issues[0]?.message ?? "invalide"}`,
          });
          return z.NEVER;
        }
        parsed.push(result.data);
      }
      return parsed;
    });

/** The create/edit form: the same rules as the API, with text areas for lists. */
export const InitiativeFormSchema = z.object({
  intent: z.enum(["save", "preview"]).default("save"),
  title: titleSchema,
  summary: summarySchema,
  body: bodySchema.default(""),
  themes: themesSchema,
  tags: z
    .string()
    .max(600, "Trop de mots-clés.")
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .pipe(tagsSchema),
  startYear: yearSchema.optional(),
  budgetBracket: budgetSchema.optional(),
  links: linesOf(parseLinkLines, linkSchema, 10, "Au plus 10 liens."),
  memberContributors: z.array(z.string().max(64)).max(30).default([]),
  otherContributors: linesOf(
    parseContributorLines,
    contributorSchema,
    30,
    "Au plus 30 contributeurs.",
  ),
  inspiredBy: z.string().trim().max(300, "Adresse trop longue.").optional(),
  status: statusSchema.default("draft"),
  collectivityCode: z.string().trim().max(20).optional(),
  version: versionSchema.optional(),
});
export type InitiativeForm = z.output<typeof InitiativeFormSchema>;
