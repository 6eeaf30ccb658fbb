import { followLevels, type FollowLevel } from "../../db/schema/forum-constants";
import { pageNumberSchema, z } from "./validation";

// Stored as an enum in db/schema; the browser reads them from here.
export { followLevels, type FollowLevel };

// Shared by the pages (conform, with and without JavaScript), the API and the OpenAPI document.
export const POST_MAX_LENGTH = 20_000;
export const POSTS_PER_PAGE = 30;
export const TOPICS_PER_PAGE = 25;
export const NOTIFICATIONS_PAGE_SIZE = 30;
export const TITLE_MIN_LENGTH = 5;
export const TITLE_MAX_LENGTH = 150;

export const postBodySchema = z
  .string({ error: "Le message est vide." })
  .trim()
  .min(2, "Le message est trop court.")
  .max(POST_MAX_LENGTH, `Le message ne peut pas dépasser ${POST_MAX_LENGTH} caractères.`);

export const topicTitleSchema = z
  .string({ error: "Le titre est requis." })
  .trim()
  .min(TITLE_MIN_LENGTH, `Le titre doit compter au moins ${TITLE_MIN_LENGTH} caractères.`)
  .max(TITLE_MAX_LENGTH, `Le titre ne peut pas dépasser ${TITLE_MAX_LENGTH} caractères.`);

const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "Clé d'idempotence invalide.")
  .optional();

/** Body of POST /api/v1/forums/:category/topics. */
export const NewTopicSchema = z.object({ title: topicTitleSchema, body: postBodySchema });

/** Body of POST /api/v1/topics/:id/posts. */
export const NewPostSchema = z.object({
  body: postBodySchema,
  replyToId: z.number().int().positive().optional(),
});

export const PostsQuerySchema = z.object({
  after: z.coerce
    .number({ error: "« after » doit être un identifiant de message." })
    .int()
    .min(0)
    .default(0),
  limit: z.coerce
    .number({ error: "« limit » doit être un nombre." })
    .int()
    .min(1)
    .max(100)
    .default(50),
  since: z.coerce
    .number({ error: "« since » doit être un numéro de modification." })
    .int()
    .min(0)
    .optional(),
});

export const TopicsQuerySchema = z.object({
  page: pageNumberSchema,
});

// ——— Page forms ———

export const TopicFormSchema = z.object({
  title: topicTitleSchema,
  body: postBodySchema,
  idempotencyKey: idempotencyKeySchema,
});

export const ReplyFormSchema = z.object({
  intent: z.literal("reply"),
  body: postBodySchema,
  replyToId: z.coerce.number().int().positive().optional(),
  idempotencyKey: idempotencyKeySchema,
});

export const EditFormSchema = z.object({
  intent: z.literal("edit"),
  postId: z.coerce.number().int().positive(),
  body: postBodySchema,
});

export const ReportFormSchema = z.object({
  intent: z.literal("report"),
  postId: z.coerce.number().int().positive(),
  reason: z
    .string({ error: "Dites en quelques mots pourquoi ce message pose problème." })
    .trim()
    .min(3, "Dites en quelques mots pourquoi ce message pose problème.")
    .max(1000, "Le motif ne peut pas dépasser 1 000 caractères."),
});

export const DeleteFormSchema = z.object({
  intent: z.literal("delete"),
  postId: z.coerce.number().int().positive(),
});

const categorySlugSchema = z
  .string({ error: "Choisissez une catégorie." })
  .trim()
  .regex(/^[a-z0-9-]{1,60}$/, "Choisissez une catégorie existante.");

/** The moderators' "move" form of a topic. */
export const MoveTopicSchema = z.object({
  intent: z.literal("move"),
  category: categorySlugSchema,
});

/** Every form of a topic's moderation route, told apart by `intent`. */
export const TopicModerationSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.enum(["hide", "restore"]),
    postId: z.coerce.number().int().positive(),
  }),
  z.object({ intent: z.enum(["lock", "unlock", "pin", "unpin"]) }),
  MoveTopicSchema,
]);

export const FollowFormSchema = z.object({
  intent: z.literal("follow"),
  level: z.enum(followLevels, { error: "Niveau de suivi inconnu." }),
});

export const SearchQuerySchema = z.object({
  q: z.string().trim().max(100, "La recherche ne peut pas dépasser 100 caractères.").optional(),
});

export const followLevelLabels: Record<FollowLevel, string> = {
  watching: "Suivre",
  normal: "Normal",
  muted: "Silencieux",
};
