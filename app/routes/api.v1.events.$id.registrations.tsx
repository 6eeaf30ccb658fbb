import type { ActionFunctionArgs } from "@remix-run/node";

import { myRegistration } from "~/models/event-places.server";
import { register } from "~/models/event-registrations.server";
import {
  apiError,
  apiFailure,
  apiRateLimit,
  fieldErrors,
  methodNotAllowed,
} from "~/utils/api.server";
import { requireUser } from "~/utils/auth.server";
import { RegistrationApiSchema } from "~/utils/event-schemas";

export const loader = () => methodNotAllowed(["POST"]);

/**
 * Registers the token's owner: 201 `{ status, position? }`, 409 when closed or already
 * registered. A retry carrying the same Idempotency-Key gets 200 and the registration it made.
 */
export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "POST") return methodNotAllowed(["POST"]);
  const user = requireUser(args);
  const text = await args.request.text();
  if (text.length > 4_096) return apiError(413, "payload_too_large", "Corps trop volumineux.");
  let raw: unknown = undefined;
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      return apiError(400, "bad_request", "Le corps de la requête doit être du JSON valide.");
    }
  }
  const body = RegistrationApiSchema.safeParse(raw);
  if (!body.success) {
    return apiError(
      422,
      "validation_failed",
      "Certains champs sont invalides.",
      fieldErrors(body.error),
    );
  }
  const limited = await apiRateLimit("event-registration", user.id);
  if (limited) return limited;
  const eventId = args.params.id ?? "";
  const result = await register(user, eventId, body.data);
  if (!result.ok) {
    const retried = args.request.headers.get("idempotency-key") !== null;
    const existing =
      retried && result.status === 409 ? await myRegistration(eventId, user.id) : null;
    if (existing) {
      return Response.json(
        { status: existing.status, ...(existing.position ? { position: existing.position } : {}) },
        { status: 200 },
      );
    }
    return apiFailure(result);
  }
  const { status, position } = result.value;
  return Response.json({ status, ...(position ? { position } : {}) }, { status: 201 });
}
