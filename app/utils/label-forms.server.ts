import type { SubmissionResult } from "@conform-to/react";

/**
 * Route helpers of the label's forms: the answer of a form the model refused, the options of a
 * question written one per line ("valeur | libellé | points") for the admins' textarea.
 */
type Replying = {
  reply: (options: {
    fieldErrors?: Record<string, string[]>;
    formErrors?: string[];
  }) => SubmissionResult<string[]>;
};

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

export function optionsText(options: Array<{ value: string; label: string; points: number }>) {
  return options.map((o) => `${o.value} | ${o.label} | ${o.points}`).join("\n");
}
