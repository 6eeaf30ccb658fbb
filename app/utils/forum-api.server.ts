import { apiError } from "./api.server";
import type { AuthState } from "./auth.server";

/** Reading the forums needs no token, but a token that is sent must be valid. */
export function optionalApiViewer(context: { auth: AuthState }) {
  if (context.auth.tokenRejected) {
    throw apiError(401, "unauthorized", "Jeton d'API invalide ou révoqué.");
  }
  return context.auth.user;
}
