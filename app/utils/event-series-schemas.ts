import { z } from "./validation";

/** The series form: creation and, with `intent: "edit"`, the organiser's changes. */
export const SeriesFormSchema = z.object({
  title: z
    .string({ error: "Le titre est requis." })
    .trim()
    .min(5, "Le titre doit compter au moins 5 caractères.")
    .max(160, "Le titre ne peut pas dépasser 160 caractères."),
  description: z
    .string()
    .trim()
    .max(20_000, "La présentation ne peut pas dépasser 20 000 caractères.")
    .default(""),
  status: z.enum(["draft", "published"], { error: "Choisissez brouillon ou publié." }),
});

export const SeriesEditSchema = SeriesFormSchema.extend({ intent: z.literal("edit") });

export const InviteHostSchema = z.object({
  intent: z.literal("invite"),
  collectivity: z
    .string({ error: "Indiquez la collectivité à inviter." })
    .trim()
    .min(2, "Indiquez la collectivité à inviter.")
    .max(200, "Ce nom de collectivité est trop long."),
});

export const DetachStageSchema = z.object({
  intent: z.literal("detach"),
  eventId: z.string({ error: "Étape manquante." }).trim().min(1).max(40),
});

/** The référent's answer, on the programme page. */
export const InvitationAnswerSchema = z.object({
  intent: z.enum(["accept", "decline"], { error: "Réponse invalide." }),
  collectivityCode: z.string({ error: "Collectivité manquante." }).trim().min(1).max(20),
});
