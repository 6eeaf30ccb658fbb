import { apiError, type ApiErrorCode } from "./api.server";
import type { AuthState } from "./auth.server";
import { RateLimitedError, tooManyRequests } from "./rate-limit.server";

/** Reading the forums needs no token, but a token that is sent must be valid. */
export function optionalApiViewer(context: { auth: AuthState }) {
  if (context.auth.tokenRejected) {
    throw apiError(401, "unauthorized", "Jeton d'API invalide ou révoqué.");
  }
  return context.auth.user;
}

const codes: Record<number, ApiErrorCode> = {
  400: "bad_request",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "validation_failed",
};

/** A model failure as the API's JSON error. */
export function apiFailure(failure: {
  status: number;
  fieldErrors: Record<string, string[]>;
  formError?: string;
}) {
  const fields = Object.keys(failure.fieldErrors).length > 0 ? failure.fieldErrors : undefined;
  return apiError(
    failure.status,
    codes[failure.status] ?? "bad_request",
    failure.formError ?? "Certains champs sont invalides.",
    fields,
  );
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
