import {
  councilColleges,
  councilTopicStatuses,
  partnerKinds,
} from "../../db/schema/council-constants";
import { LOCAL_INPUT, localToInstant, PARIS } from "./dates";
import { themesSchema } from "./initiative-schemas";
import { optionalEmpty, pageNumberSchema, z } from "./validation";

export {
  collegeLabels,
  councilTopicStatusLabels,
  DEFAULT_MAX_CHOICES,
  partnerKindLabels,
  type CouncilCollege,
} from "../../db/schema/council-constants";

/** Schemas of the partners' council, shared by the forms, the API and the client (conform). */

/** Nine digits whose Luhn sum is a multiple of ten (the INSEE check of a SIREN). */
export function isValidSiren(value: string) {
  if (!/^\d{9}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) {
    let digit = Number(value[8 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

const sirenSchema = z
  .string()
  .transform((value) => value.replace(/\s/g, ""))
  .refine((value) => /^\d{9}$/.test(value), "Le Siren compte 9 chiffres.")
  .refine(isValidSiren, "Ce Siren n'est pas valide (clé de contrôle incorrecte).");

const collegeSchema = z.enum(councilColleges, { error: "Choisissez un collège du conseil." });

export const PartnerSchema = z.object({
  name: z
    .string({ error: "Indiquez le nom de l'organisation." })
    .trim()
    .min(2, "Le nom doit compter au moins 2 caractères.")
    .max(160, "Le nom ne peut pas dépasser 160 caractères."),
  kind: z.enum(partnerKinds, { error: "Choisissez le type d'organisation." }),
  college: collegeSchema,
  siren: optionalEmpty(sirenSchema),
  description: z.string().trim().max(2000, "2 000 caractères au plus.").default(""),
  website: optionalEmpty(
    z
      .string()
      .trim()
      .max(300, "Adresse trop longue.")
      .pipe(z.url({ protocol: /^https$/, error: "Une adresse https:// complète." })),
  ),
});
export type PartnerInput = z.output<typeof PartnerSchema>;

/** GET /api/v1/organisations: member collectivities and partners, with their college. */
export const OrganisationsQuerySchema = z.object({
  q: z.string().trim().max(100, "La recherche ne peut pas dépasser 100 caractères.").optional(),
  college: optionalEmpty(collegeSchema),
  page: pageNumberSchema,
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

/** A minute typed in Paris time ("2027-03-01T09:00"), read as the instant it denotes. */
const parisInstant = (label: string) =>
  z
    .string({ error: `${label} est requise.` })
    .regex(LOCAL_INPUT, `${label} doit être au format jj/mm/aaaa hh:mm.`)
    .transform((value, context) => {
      const instant = localToInstant(value, PARIS);
      if (!instant) {
        context.addIssue({
          code: "custom",
          message: "Cette heure n'existe pas à Paris (changement d'heure).",
        });
        return z.NEVER;
      }
      return instant;
    });

const titleSchema = z
  .string({ error: "Indiquez un titre." })
  .trim()
  .min(5, "Le titre doit compter au moins 5 caractères.")
  .max(140, "Le titre ne peut pas dépasser 140 caractères.");

export const CallSchema = z.object({
  intent: z.literal("open-call"),
  // conform turns the typed text into a number before validation.
  year: z
    .number({ error: "Année invalide." })
    .int("Année invalide.")
    .min(2020, "Année invalide.")
    .max(2100, "Année invalide."),
  title: titleSchema,
  opensAt: parisInstant("La date d'ouverture"),
  closesAt: parisInstant("La date de clôture"),
});

export const VoteSchema = z.object({
  intent: z.literal("open-vote"),
  callId: z.string({ error: "Choisissez l'appel à sujets." }).min(1).max(64),
  title: titleSchema,
  opensAt: parisInstant("La date d'ouverture"),
  closesAt: parisInstant("La date de clôture"),
  maxChoices: z
    .number({ error: "Indiquez un nombre." })
    .int("Un nombre entier.")
    .min(1, "Au moins 1 sujet.")
    .max(20, "20 sujets au plus."),
});

export const ProposeTopicSchema = z.object({
  title: titleSchema,
  why: z
    .string({ error: "Expliquez pourquoi ce sujet compte." })
    .trim()
    .min(20, "Expliquez en 20 caractères au moins pourquoi ce sujet compte.")
    .max(4000, "4 000 caractères au plus."),
  expectedOutcome: z
    .string({ error: "Dites ce que le travail produirait." })
    .trim()
    .min(10, "Dites en 10 caractères au moins ce que le travail produirait.")
    .max(2000, "2 000 caractères au plus."),
  themes: themesSchema,
});
export type ProposeTopicInput = z.output<typeof ProposeTopicSchema>;

export const MergeSchema = z.object({
  intent: z.literal("merge"),
  keptId: z
    .string({ error: "Choisissez le sujet conservé." })
    .min(1, "Choisissez le sujet conservé.")
    .max(64),
});

export const BallotSchema = z.object({
  topicIds: z
    .array(z.string().min(1).max(64), { error: "Cochez au moins un sujet." })
    .min(1, "Cochez au moins un sujet.")
    .max(50, "Trop de sujets cochés."),
});

export const ReceiptSchema = z.object({
  receipt: z
    .string({ error: "Collez votre reçu." })
    .trim()
    .min(10, "Ce reçu est trop court : collez-le en entier.")
    .max(100, "Ce reçu est trop long."),
});

export const CouncilTopicsQuerySchema = z.object({
  status: optionalEmpty(
    z.enum(councilTopicStatuses, { error: "Statut invalide : proposed, merged ou selected." }),
  ),
  year: optionalEmpty(z.coerce.number().int().min(2020).max(2100)),
});
