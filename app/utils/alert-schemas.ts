import { alertKinds } from "../../db/schema/alerts";
import { z } from "./validation";

/**
 * The forms of /compte/alertes and of the "M'alerter" buttons: follow, stop following (by what,
 * or by id). A collectivity may be typed by name: the route resolves it to its code.
 */
export const AlertActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("follow"),
    kind: z.enum(alertKinds, { error: "Choisissez ce que vous voulez suivre." }),
    value: z
      .string({ error: "Indiquez ce que vous voulez suivre." })
      .trim()
      .min(1, "Indiquez ce que vous voulez suivre.")
      .max(200, "200 caractères au plus."),
    redirectTo: z.string().max(500).optional(),
  }),
  z.object({
    intent: z.literal("unfollow"),
    kind: z.enum(alertKinds),
    value: z.string().trim().max(200),
    redirectTo: z.string().max(500).optional(),
  }),
  z.object({ intent: z.literal("remove"), id: z.coerce.number().int().positive() }),
]);

/** `?jour=2027-03-12` on the alerts page. */
export const AlertDaySchema = z.object({
  jour: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});
