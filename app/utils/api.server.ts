import { consume, RateLimitedError, tooManyRequests, type LimitName } from "./rate-limit.server";
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

const failureCodes: Record<number, ApiErrorCode> = {
  400: "bad_request",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "validation_failed",
};

/**
 * A model failure (`{ ok: false, status, fieldErrors, formError? }`) as the API's JSON error.
 * `messageWithoutFields` is what is said when the model gave neither fields nor a message.
 */
export function modelFailure(
  failure: { status: number; fieldErrors: Record<string, string[]>; formError?: string },
  messageWithoutFields = "Certains champs sont invalides.",
) {
  const hasFields = Object.keys(failure.fieldErrors).length > 0;
  return apiError(
    failure.status,
    failureCodes[failure.status] ?? "bad_request",
    failure.formError ?? (hasFields ? "Certains champs sont invalides." : messageWithoutFields),
    hasFields ? failure.fieldErrors : undefined,
  );
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
  try {
    return await run();
  } catch (error) {
    if (error instanceof RateLimitedError) return tooManyRequests(error, "json") as Response;
    throw error;
  }
}

/** Counts one API write against a rate limit: the 429 answer once it is passed, else null. */
export async function apiRateLimit(name: LimitName, key: string): Promise<Response | null> {
  const limited = await withApiRateLimit(() => consume(name, key));
  return limited instanceof Response ? limited : null;
}
