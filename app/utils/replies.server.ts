import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect } from "@remix-run/node";
import type { z } from "zod";

import type { Result } from "../models/result.server";
import { RateLimitedError, unlessRateLimited } from "./rate-limit.server";

/**
 * Route helpers that turn outcomes into HTTP answers, one way for each: a thrown 404/403 page, the
 * 429 of a form whose limit is passed, and the answers of a form that saves one thing
 * (`submitForm`). The API's JSON answers live in `api.server.ts`.
 */

/** Conform's result for a form the model refused: its field errors and its message. */
export function refusedReply(
  submission: Replying,
  failed: { fieldErrors: Record<string, string[]>; formError?: string },
) {
  return submission.reply({
    fieldErrors: failed.fieldErrors,
    formErrors: failed.formError ? [failed.formError] : undefined,
  });
}

/** The status of a refused form: a model's 422 (unprocessable input) is the form's 400. */
export function refusedStatus(status: number) {
  return status === 422 ? 400 : status;
}

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

/** A conform submission, as far as these replies need it. */
type Replying = {
  reply: (options: {
    fieldErrors?: Record<string, string[]>;
    formErrors?: string[];
    hideFields?: string[];
  }) => SubmissionResult<string[]>;
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

/**
 * The action of a form that saves one thing: 400 with the errors by field when the input is
 * invalid; 429 when `save` passes a rate limit (`consume`, or the model's own); the model's refusal
 * next to its field, or the page's 404 for a refusal with status 404 when `notFound` is given;
 * else the redirect to `done`. `extra` is the rest of the route's action data, in every answer.
 */
export async function submitForm<
  Schema extends z.ZodType,
  Saved,
  Extra extends Record<string, unknown> = Record<never, never>,
>(
  formData: FormData,
  schema: Schema,
  save: (value: z.output<Schema>) => Promise<Result<Saved>>,
  {
    done,
    notFound,
    extra,
  }: { done: (saved: Saved, value: z.output<Schema>) => string; notFound?: string; extra?: Extra },
) {
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") {
    return json({ ...(extra as Extra), result: submission.reply() }, { status: 400 });
  }
  const saved = await unlessRateLimited(() => save(submission.value));
  if (saved instanceof RateLimitedError) return formRateLimited(saved, submission, { extra });
  if (!saved.ok) {
    if (notFound) invariantResponse(saved.status !== 404, notFound);
    return json(
      { ...(extra as Extra), result: refusedReply(submission, saved) },
      { status: refusedStatus(saved.status) },
    );
  }
  return redirect(done(saved.value, submission.value));
}
