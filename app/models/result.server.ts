/** What a model function returns for an expected failure: a status and French messages. */
export type FieldErrors = Record<string, string[]>;

export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; fieldErrors: FieldErrors; formError?: string };

export const failure = (status: number, fieldErrors: FieldErrors, formError?: string) =>
  ({ ok: false, status, fieldErrors, formError }) as const;

/** A unique index refused the write (two requests racing for one slug, email…). */
export function isUniqueViolation(error: unknown) {
  const code =
    (error as { code?: string; cause?: { code?: string } }).code ??
    (error as { cause?: { code?: string } }).cause?.code;
  return code === "23505";
}
