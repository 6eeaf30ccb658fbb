import type { SubmissionResult } from "@conform-to/react";
import { json } from "@remix-run/node";

import type { RateLimitedError } from "./rate-limit.server";

/**
 * Route helpers that turn outcomes into HTTP answers, one way for each: a thrown 404/403 page, and
 * the 429 of a form whose limit is passed. The API's JSON answers live in `api.server.ts`.
 */

/**
 * Throws the answer of a missing (or not visible: the same answer) resource unless `condition`
 * holds; the shared error boundary renders it as a French page.
 */
export function invariantResponse(
  condition: unknown,
  message: string,
  status = 404,
): asserts condition {
  if (!condition) throw new Response(message, { status });
}

export function retryAfterHeaders(error: RateLimitedError) {
  return { "Retry-After": String(error.retryAfterSeconds) };
}

type Replying = {
  reply: (options: { formErrors?: string[]; hideFields?: string[] }) => SubmissionResult<string[]>;
};

/**
 * The 429 of every form: the French message above the form, the user's input kept (but hidden
 * fields such as passwords), `Retry-After` set. `extra` is the rest of the route's action data.
 */
export function formRateLimited<Extra extends Record<string, unknown> = Record<never, never>>(
  error: RateLimitedError,
  submission: Replying,
  { extra, hideFields }: { extra?: Extra; hideFields?: string[] } = {},
) {
  return json(
    {
      ...(extra as Extra),
      result: submission.reply({ formErrors: [error.message], hideFields }),
    },
    { status: 429, headers: retryAfterHeaders(error) },
  );
}
