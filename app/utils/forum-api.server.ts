import { apiError } from "./api.server";
import type { AuthState } from "./auth.server";
import { RateLimitedError, tooManyRequests } from "./rate-limit.server";

/** Reading the forums needs no token, but a token that is sent must be valid. */
export function optionalApiViewer(context: { auth: AuthState }) {
  if (context.auth.tokenRejected) {
    throw apiError(401, "unauthorized", "Jeton d'API invalide ou révoqué.");
  }
  return context.auth.user;
}

/** Runs a write, turning a passed rate limit into the API's 429. */
export async function withApiRateLimit<T>(run: () => Promise<T>): Promise<T | Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RateLimitedError) return tooManyRequests(error, "json") as Response;
    throw error;
  }
}
