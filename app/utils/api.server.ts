import {
  limitReached,
  RateLimitedError,
  unlessRateLimited,
  type LimitName,
} from "./rate-limit.server";
import { retryAfterHeaders } from "./replies.server";
import { z } from "./validation";

export type ApiErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "validation_failed"
  | "rate_limited"
  | "payload_too_large"
  | "method_not_allowed"
  | "service_unavailable";

/** A JSON error in the one shape of the API: `{ error: { code, message, fields? } }`. */
export function apiError(
  status: number,
  code: ApiErrorCode,
  message: string,
  fields?: Record<string, string[]>,
  headers?: HeadersInit,
) {
  return Response.json(
    { error: { code, message, ...(fields ? { fields } : {}) } },
    { status, headers },
  );
}

export const notFound = () => apiError(404, "not_found", "Ressource introuvable.");

const failureCodes: Record<number, { code: ApiErrorCode; message: string }> = {
  400: { code: "bad_request", message: "Requête invalide." },
  401: { code: "unauthorized", message: "Authentification requise." },
  403: { code: "forbidden", message: "Action non autorisée." },
  404: { code: "not_found", message: "Ressource introuvable." },
  409: { code: "conflict", message: "Conflit avec l'état actuel : relisez puis réessayez." },
  413: { code: "payload_too_large", message: "Requête trop volumineuse." },
  422: { code: "validation_failed", message: "Certains champs sont invalides." },
};

/**
 * The one mapping of a model failure (`{ ok: false, status, fieldErrors, formError? }`) to the
 * API's JSON error: the model's own message when it gave one, the status's otherwise, and the
 * per-field messages whenever there are any.
 */
export function apiFailure(failure: {
  status: number;
  fieldErrors: Record<string, string[]>;
  formError?: string;
}) {
  const known = failureCodes[failure.status] ?? failureCodes[400]!;
  const hasFields = Object.keys(failure.fieldErrors).length > 0;
  const message =
    failure.formError ?? (hasFields ? "Certains champs sont invalides." : known.message);
  return apiError(
    failureCodes[failure.status] ? failure.status : 400,
    known.code,
    message,
    hasFields ? failure.fieldErrors : undefined,
  );
}

/** The 429 of the API: the French message and `Retry-After`. */
export function apiRateLimited(error: RateLimitedError) {
  return apiError(429, "rate_limited", error.message, undefined, retryAfterHeaders(error));
}

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "body";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

const MAX_JSON_BYTES = 256 * 1024;

/**
 * Reads and validates a JSON body: 413 when too large, 400 when it is not JSON, 422 naming each
 * invalid field. Throws the error Response, so an action can simply `await` it.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_JSON_BYTES) {
    throw apiError(413, "payload_too_large", "Le corps de la requête dépasse 256 Ko.");
  }
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) {
    throw apiError(413, "payload_too_large", "Le corps de la requête dépasse 256 Ko.");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw apiError(400, "bad_request", "Le corps de la requête doit être du JSON valide.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw apiError(
      422,
      "validation_failed",
      "Certains champs sont invalides.",
      fieldErrors(parsed.error),
    );
  }
  return parsed.data;
}

/** Parses query parameters with a schema; 400 naming the bad parameter. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  // A parameter we do not know is refused, not ignored: `filter=email EXISTS` or a sort on a
  // hidden attribute must not look as if it had been applied.
  if (schema instanceof z.ZodObject) {
    const known = Object.keys(schema.shape);
    const unknown = Object.keys(params).filter((key) => !known.includes(key));
    if (unknown.length > 0) {
      throw apiError(
        400,
        "bad_request",
        "Paramètres de requête inconnus.",
        Object.fromEntries(
          unknown.map((key) => [key, [`Paramètre inconnu. Acceptés : ${known.join(", ")}.`]]),
        ),
      );
    }
  }
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    throw apiError(
      400,
      "bad_request",
      "Paramètres de requête invalides.",
      fieldErrors(parsed.error),
    );
  }
  return parsed.data;
}

export function methodNotAllowed(allowed: string[]) {
  return apiError(405, "method_not_allowed", "Méthode non autorisée.", undefined, {
    Allow: allowed.join(", "),
  });
}

/** Runs a write, turning a passed rate limit into the API's 429. */
export async function withApiRateLimit<T>(run: () => Promise<T>): Promise<T | Response> {
  const outcome = await unlessRateLimited(run);
  return outcome instanceof RateLimitedError ? apiRateLimited(outcome) : outcome;
}

/** Counts one API write against a rate limit: the 429 answer once it is passed, else null. */
export async function apiRateLimit(name: LimitName, key: string): Promise<Response | null> {
  const limited = await limitReached(name, key);
  return limited ? apiRateLimited(limited) : null;
}
