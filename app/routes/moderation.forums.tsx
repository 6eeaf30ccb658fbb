import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { Notice } from "~/components/notice";
import { listHiddenPosts, listOpenReports, moderatePost } from "~/models/forum-moderation.server";
import { requireRole } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { invariantResponse } from "~/utils/replies.server";
import { z } from "~/utils/validation";

const DecisionSchema = z.object({
  intent: z.enum(["hide", "restore", "dismiss"]),
  postId: z.coerce.number().int().positive(),
});

export async function loader(args: LoaderFunctionArgs) {
  const moderator = requireRole(args, "moderator");
  const [reports, hidden] = await Promise.all([
    listOpenReports(moderator),
    listHiddenPosts(moderator),
  ]);
  return { reports, hidden };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, "moderator");
  const parsed = DecisionSchema.safeParse(Object.fromEntries(await args.request.formData()));
  invariantResponse(parsed.success, "Décision inconnue.", 400);
  const done = await moderatePost(user, parsed.data.postId, parsed.data.intent);
  if (!done.ok) throw new Response(done.formError ?? "Action impossible.", { status: done.status });
  return redirect(`/moderation/forums?fait=${parsed.data.intent}`);
}

export const meta: MetaFunction = () => [{ title: "Modération des forums — Territoires Internet" }];

const doneMessages: Record<string, string> = {
  hide: "Message masqué ; l'auteur et les personnes qui l'ont signalé sont prévenus.",
  restore: "Message rétabli.",
  dismiss: "Signalement classé ; le message reste visible.",
};

export default function ModerationPage() {
  const { reports, hidden } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const done = doneMessages[params.get("fait") ?? ""];
  return (
    <div className="container stack">
      <h1>Modération des forums</h1>
      {done ? <Notice kind="success">{done}</Notice> : null}
      <section aria-labelledby="signalements" className="stack">
        <h2 id="signalements">Signalements à traiter ({reports.length})</h2>
        {reports.length === 0 ? <p className="card">Aucun signalement en attente.</p> : null}
        {reports.map((report) => (
          <article key={report.id} className="card stack">
            <p>
              <strong>{report.reporterName}</strong> a signalé le {formatDateTime(report.createdAt)}{" "}
              un message de <strong>{report.authorName}</strong> dans{" "}
              <Link to={report.path}>{report.topicTitle}</Link>
            </p>
            <blockquote className="muted">Motif : {report.reason}</blockquote>
            <div className="prose reported" dangerouslySetInnerHTML={{ __html: report.postHtml }} />
            <div className="actions">
              {report.postHidden || report.postDeleted ? (
                <span className="badge">{report.postDeleted ? "supprimé" : "déjà masqué"}</span>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="hide" />
                  <input type="hidden" name="postId" value={report.postId} />
                  <button type="submit" className="danger">
                    Masquer le message
                  </button>
                </Form>
              )}
              <Form method="post">
                <input type="hidden" name="intent" value="dismiss" />
                <input type="hidden" name="postId" value={report.postId} />
                <button type="submit" className="secondary">
                  Classer sans suite
                </button>
              </Form>
            </div>
          </article>
        ))}
      </section>
      <section aria-labelledby="masques" className="stack">
        <h2 id="masques">Messages masqués</h2>
        {hidden.length === 0 ? <p className="card">Aucun message masqué.</p> : null}
        {hidden.map((post) => (
          <article key={post.postId} className="card stack">
            <p>
              Message de <strong>{post.authorName}</strong> dans{" "}
              <Link to={post.path}>{post.topicTitle}</Link>
            </p>
            <div className="prose" dangerouslySetInnerHTML={{ __html: post.postHtml }} />
            <Form method="post">
              <input type="hidden" name="intent" value="restore" />
              <input type="hidden" name="postId" value={post.postId} />
              <button type="submit" className="secondary">
                Rétablir
              </button>
            </Form>
          </article>
        ))}
      </section>
    </div>
  );
}
