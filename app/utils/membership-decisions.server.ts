import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { decideMembership } from "../models/collectivities.server";
import { requireUser } from "./auth.server";
import { z } from "./validation";

const DecisionSchema = z.object({
  intent: z.enum(["approve", "remove", "make-referent"]),
  userId: z.string().min(1).max(64),
});

const messages = {
  approve: "Adhésion validée.",
  remove: "Membre retiré : ses contributions restent à son nom.",
  "make-referent": "Le rôle de référent·e a été transmis.",
};

/**
 * The action of an organisation's page (collectivity or partner): the référent or an admin
 * approves, removes or names the référent. Not allowed and not found get the same 404.
 */
export async function membershipDecisionAction(args: ActionFunctionArgs, code: string) {
  const user = requireUser(args);
  const parsed = DecisionSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) return json({ message: "Action invalide." }, { status: 400 });
  const done = await decideMembership(user, code, parsed.data.userId, parsed.data.intent);
  if (!done) throw new Response("Membre introuvable.", { status: 404 });
  return json({ message: messages[parsed.data.intent] });
}
