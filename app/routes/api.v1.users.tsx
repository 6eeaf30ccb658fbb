import type { ActionFunctionArgs } from "@remix-run/node";

import { createAccount } from "~/models/accounts.server";
import { decideMembership } from "~/models/collectivities.server";
import { apiError, methodNotAllowed, readJsonBody } from "~/utils/api.server";
import { requireRole } from "~/utils/auth.server";
import { CreateUserSchema } from "~/utils/schemas";

export const loader = () => methodNotAllowed(["POST"]);

/** Bulk onboarding: an admin creates approved members of a collectivity with their roles. */
export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "POST") return methodNotAllowed(["POST"]);
  const admin = requireRole(args, "admin");
  const body = await readJsonBody(args.request, CreateUserSchema);
  const created = await createAccount({ ...body, approvedBy: admin.id });
  if (!created.ok) {
    const code = created.status === 409 ? "conflict" : "validation_failed";
    const message =
      created.status === 409
        ? "Un compte existe déjà avec cette adresse."
        : "Certains champs sont invalides.";
    // The form calls the field "collectivity"; the API body calls it "collectivityCode".
    const { collectivity, ...fields } = created.fieldErrors;
    return apiError(
      created.status,
      code,
      message,
      collectivity ? { ...fields, collectivityCode: collectivity } : fields,
    );
  }
  if (body.referent) {
    await decideMembership(admin, body.collectivityCode, created.value.userId, "make-referent");
  }
  return Response.json({ id: created.value.userId }, { status: 201 });
}
