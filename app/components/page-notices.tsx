import { FormErrors } from "./forms";

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
      {success ? (
        <div className="alert alert--success" role="status">
          {success}
        </div>
      ) : null}
      <FormErrors errors={errors} />
      {cancelled ? (
        <div className="alert alert--error" role="status">
          {cancelled}
        </div>
      ) : null}
      {draft ? (
        <div className="alert alert--info" role="status">
          {draft}
        </div>
      ) : null}
    </>
  );
}
