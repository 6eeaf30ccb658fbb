import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link } from "@remix-run/react";

import { FormErrors, TextareaField } from "~/components/forms";
import { MemberChip } from "~/components/member-chip";
import { formatDateTime } from "~/utils/dates";
import type { PostView } from "~/utils/forum-live-topic";
import { EditFormSchema, ReportFormSchema } from "~/utils/forum-schemas";

type Result = SubmissionResult<string[]> | undefined;

/**
 * One post of a topic: its author, time and body, or the notice that replaces a deleted or hidden
 * post; the actions the reader may take; and, when asked for in the URL, its edit or report form.
 */
export function ForumPost({
  post,
  topicPath,
  viewerSignedIn,
  moderator,
  mayWrite,
  moderationPath,
  editing,
  reporting,
}: {
  post: PostView;
  /** The topic's URL, which the post's permanent link (`?message=`) extends. */
  topicPath: string;
  viewerSignedIn: boolean;
  moderator: boolean;
  mayWrite: boolean;
  /** Where moderators' hide and restore forms are sent. */
  moderationPath: string;
  /** The body to edit, with the last submission's result, when this post is being edited. */
  editing: { body: string; lastResult: Result } | null;
  /** The last report submission's result, when this post is being reported. */
  reporting: { lastResult: Result } | null;
}) {
  const anchor = `message-${post.id}`;
  if (post.deletedAt) {
    return (
      <article id={anchor} className="post post--gone">
        <p className="muted">Message supprimé.</p>
      </article>
    );
  }
  if (post.hiddenAt && !moderator) {
    return (
      <article id={anchor} className="post post--gone">
        <p className="muted">Message masqué par la modération.</p>
      </article>
    );
  }
  return (
    <article id={anchor} className="post" aria-labelledby={`${anchor}-auteur`} tabIndex={-1}>
      <header className="post__header">
        <span id={`${anchor}-auteur`}>
          {post.authorProfileKind ? (
            <MemberChip
              name={post.authorName}
              jobTitle={post.authorJobTitle ?? ""}
              profileKind={post.authorProfileKind}
              former={post.former}
              collectivityName={post.authorCollectivity ?? undefined}
            />
          ) : (
            <strong>{post.authorName}</strong>
          )}
        </span>
        <a href={`${topicPath}?message=${post.id}`} className="post__time">
          <time dateTime={post.createdAt}>{formatDateTime(post.createdAt)}</time>
          <span className="visually-hidden"> (lien permanent)</span>
        </a>
        {post.editedAt ? (
          <Link
            to={`?historique=${post.id}#historique`}
            className="badge"
            title="Voir l'historique"
          >
            modifié
          </Link>
        ) : null}
        {post.hiddenAt ? <span className="badge badge--pending">masqué</span> : null}
      </header>
      {post.replyToId ? (
        <p className="post__reply-to muted">
          En réponse à <a href={`?message=${post.replyToId}`}>un message précédent</a>
        </p>
      ) : null}
      {editing ? (
        <EditForm postId={post.id} body={editing.body} lastResult={editing.lastResult} />
      ) : (
        // Sanitised on the server by renderMarkdown (allowlist), never raw user HTML.
        <div className="post__body prose" dangerouslySetInnerHTML={{ __html: post.html }} />
      )}
      {viewerSignedIn ? (
        <footer className="actions post__actions">
          {mayWrite ? <Link to={`?citer=${post.id}#repondre`}>Citer et répondre</Link> : null}
          {post.editable ? <Link to={`?modifier=${post.id}#${anchor}`}>Modifier</Link> : null}
          {post.editable ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="postId" value={post.id} />
              <button type="submit" className="link-button">
                Supprimer
              </button>
            </Form>
          ) : null}
          {!post.mine ? <Link to={`?signaler=${post.id}#${anchor}`}>Signaler</Link> : null}
          {moderator ? (
            <Form method="post" action={moderationPath} className="inline-form">
              <input type="hidden" name="intent" value={post.hiddenAt ? "restore" : "hide"} />
              <input type="hidden" name="postId" value={post.id} />
              <button type="submit" className="link-button">
                {post.hiddenAt ? "Rétablir" : "Masquer"}
              </button>
            </Form>
          ) : null}
        </footer>
      ) : null}
      {reporting ? <ReportForm postId={post.id} lastResult={reporting.lastResult} /> : null}
    </article>
  );
}

function EditForm({
  postId,
  body,
  lastResult,
}: {
  postId: number;
  body: string;
  lastResult: Result;
}) {
  const [form, fields] = useForm({
    id: `modifier-${postId}`,
    lastResult,
    defaultValue: { body },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EditFormSchema }),
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)} noValidate>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="postId" value={postId} />
      <TextareaField label="Modifier le message" meta={fields.body} rows={6} />
      <div className="actions">
        <button type="submit">Enregistrer la modification</button>
        <Link to={`?message=${postId}`}>Annuler</Link>
      </div>
    </Form>
  );
}

function ReportForm({ postId, lastResult }: { postId: number; lastResult: Result }) {
  const [form, fields] = useForm({
    id: `signaler-${postId}`,
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReportFormSchema }),
  });
  return (
    <Form method="post" className="stack report-form" {...getFormProps(form)} noValidate>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="intent" value="report" />
      <input type="hidden" name="postId" value={postId} />
      <TextareaField label="Pourquoi signalez-vous ce message ?" meta={fields.reason} rows={3} />
      <button type="submit">Envoyer le signalement</button>
    </Form>
  );
}
