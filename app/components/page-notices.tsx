import { FormErrors } from "./forms";
import { Notice } from "./notice";

/**
 * The notices at the top of an event's or a series' page, in this order: what the last action
 * did (from the redirect's query string), why a form was refused, a cancellation, a draft.
 */
export function PageNotices({
  success,
  errors,
  cancelled,
  draft,
}: {
  success?: string;
  errors?: string[] | null;
  /** Shown as an error notice, when the event is cancelled. */
  cancelled?: string | null;
  /** Who sees the draft, when the page is one. */
  draft?: string | null;
}) {
  return (
    <>
      {success ? <Notice kind="success">{success}</Notice> : null}
      <FormErrors errors={errors} />
      {cancelled ? <Notice kind="error">{cancelled}</Notice> : null}
      {draft ? <Notice kind="info">{draft}</Notice> : null}
    </>
  );
}
