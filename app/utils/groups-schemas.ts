import { bodySchema, summarySchema, themesSchema, titleSchema } from "./initiative-schemas";
import { emailSchema, optionalEmpty, z } from "./validation";

/** Schemas of the council's working groups, shared by the actions and the client (conform). */

export const groupStatusLabels = { open: "ouvert", closed: "clos" } as const;

const groupTitleSchema = z
  .string({ error: "Indiquez le titre du groupe." })
  .trim()
  .min(5, "Le titre doit compter au moins 5 caractères.")
  .max(140, "Le titre ne peut pas dépasser 140 caractères.");

export const CreateGroupSchema = z.object({
  topicId: optionalEmpty(z.string().trim().max(40, "Sujet inconnu.")),
  title: groupTitleSchema,
  mandate: z
    .string({ error: "Indiquez le mandat du groupe." })
    .trim()
    .min(20, "Le mandat doit compter au moins 20 caractères.")
    .max(5_000, "Le mandat ne peut pas dépasser 5 000 caractères."),
  coordinatorEmail: optionalEmpty(emailSchema),
});

/** The forms of a group's page, told apart by `intent`. */
export const JoinSchema = z.object({ intent: z.literal("join") });
export const LeaveSchema = z.object({ intent: z.literal("leave") });
export const RemoveMemberSchema = z.object({
  intent: z.literal("remove"),
  userId: z.string({ error: "Membre inconnu." }).trim().min(1, "Membre inconnu.").max(40),
});
export const CoordinatorSchema = z.object({
  intent: z.literal("coordinator"),
  coordinatorEmail: emailSchema,
});
export const CloseGroupSchema = z.object({
  intent: z.literal("close"),
  summary: z
    .string({ error: "Rédigez la synthèse du groupe." })
    .trim()
    .min(20, "La synthèse doit compter au moins 20 caractères.")
    .max(10_000, "La synthèse ne peut pas dépasser 10 000 caractères."),
});
export const GroupActionSchema = z.discriminatedUnion("intent", [
  JoinSchema,
  LeaveSchema,
  RemoveMemberSchema,
  CoordinatorSchema,
  CloseGroupSchema,
]);

/** The shared page: its markdown, and the version the writer started from. */
export const PageSchema = z.object({
  body: z
    .string({ error: "La page ne peut pas être vide." })
    .trim()
    .min(1, "La page ne peut pas être vide.")
    .max(20_000, "La page ne peut pas dépasser 20 000 caractères."),
  baseVersion: z
    .number({ error: "Version de départ manquante : rechargez la page." })
    .int("Version de départ invalide : rechargez la page.")
    .min(0, "Version de départ invalide : rechargez la page.")
    .max(1_000_000, "Version de départ invalide : rechargez la page."),
});

/** An output the group publishes to the network, as an initiative. */
export const OutputSchema = z.object({
  title: titleSchema,
  summary: summarySchema,
  body: bodySchema.default(""),
  themes: themesSchema,
});

export const versionParamSchema = z.coerce.number().int().min(1).max(1_000_000);
