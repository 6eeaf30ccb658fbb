import { profileVisibilities } from "../../db/schema/members";
import { themeSlugs } from "./themes";
import {
  departmentCodeSchema,
  optionalEmpty,
  pageNumberSchema,
  profileKindSchema,
  z,
} from "./validation";

export const BIO_MAX_LENGTH = 600;
export const EXPERTISE_MAX = 5;

export const profileVisibilityLabels = {
  public: "Tout le monde, même sans compte",
  members: "Les membres connectés du réseau seulement",
  hidden: "Personne : pas de profil public",
} as const;

/** The public profile form (/compte/profil-public). An unticked box is false. */
export const ProfileSettingsSchema = z.object({
  visibility: z.enum(profileVisibilities, { error: "Choisissez qui voit votre profil." }),
  bio: z
    .string()
    .trim()
    .max(BIO_MAX_LENGTH, `La présentation ne peut pas dépasser ${BIO_MAX_LENGTH} caractères.`)
    .default(""),
  expertise: z
    .array(z.enum(themeSlugs, { error: "Thème inconnu." }))
    .max(EXPERTISE_MAX, `Choisissez ${EXPERTISE_MAX} thèmes au plus.`)
    .default([]),
  showJobTitle: z.boolean().default(false),
  showCollectivity: z.boolean().default(false),
  showInitiatives: z.boolean().default(false),
  showEvents: z.boolean().default(false),
  showPosts: z.boolean().default(false),
  acceptsMessages: z.boolean().default(false),
});

/** "Contacter" on a profile. */
export const ContactSchema = z.object({
  body: z
    .string({ error: "Écrivez votre message." })
    .trim()
    .min(10, "Votre message doit compter au moins 10 caractères.")
    .max(4_000, "Votre message ne peut pas dépasser 4 000 caractères."),
});

/** `/membres`: who to contact, by words and facets. */
export const MemberDirectoryQuerySchema = z.object({
  q: optionalEmpty(z.string().trim().max(200, "La recherche ne peut pas dépasser 200 caractères.")),
  theme: optionalEmpty(z.enum(themeSlugs, { error: "Thème inconnu." })),
  department: optionalEmpty(departmentCodeSchema),
  profileKind: optionalEmpty(profileKindSchema),
  page: pageNumberSchema,
});
