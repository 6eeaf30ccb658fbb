import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { getConfig } from "~/config.server";
import { readMailFile } from "~/mail/transport.server";
import { getOutboxMail } from "~/models/mail-outbox.server";
import { requireRole } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { invariantResponse } from "~/utils/replies.server";

/**
 * One mail as it left: parsed back from its .eml file when the embedded transport wrote one,
 * otherwise as queued. The HTML part is shown in a sandboxed frame (no script, no form, no
 * remote image under the page's CSP), the text part as text.
 */
export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const id = Number(args.params.id);
  const mail = Number.isSafeInteger(id) && id > 0 ? await getOutboxMail(id) : null;
  invariantResponse(mail, "Courriel introuvable.");
  const written = mail.file ? await readMailFile(getConfig().mail, mail.file) : null;
  return {
    source: written ? `fichier ${mail.file}` : "file d'attente",
    subject: written?.subject ?? mail.subject,
    from: written?.from ?? getConfig().mail.from,
    to: written?.to ?? mail.recipient,
    date: written?.date ?? mail.createdAt,
    listUnsubscribe: written ? written.listUnsubscribe : mail.headers["List-Unsubscribe"],
    listUnsubscribePost: written
      ? written.listUnsubscribePost
      : mail.headers["List-Unsubscribe-Post"],
    text: written?.text ?? mail.text,
    html: written?.html ?? mail.html,
    attachments: written?.attachments ?? mail.attachments,
    category: mail.category,
    sentAt: mail.sentAt,
    lastError: mail.lastError,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.subject ?? "Courriel"} — Courriels envoyés — Territoires Internet` },
];

export default function SentMailPreview() {
  const mail = useLoaderData<typeof loader>();
  return (
    <div className="container stack">
      <p>
        <Link to="/admin/courriels">← Courriels envoyés</Link>
      </p>
      <h1>{mail.subject}</h1>
      <dl className="facts">
        <dt>De</dt>
        <dd>{mail.from}</dd>
        <dt>À</dt>
        <dd>{mail.to}</dd>
        <dt>Date</dt>
        <dd>{formatDateTime(mail.date)}</dd>
        <dt>Sorte</dt>
        <dd>{mail.category}</dd>
        <dt>État</dt>
        <dd>
          {mail.sentAt
            ? `envoyé le ${formatDateTime(mail.sentAt)}`
            : `non envoyé${mail.lastError ? ` (${mail.lastError})` : ""}`}
        </dd>
        <dt>Désabonnement</dt>
        <dd>
          {mail.listUnsubscribe
            ? `${mail.listUnsubscribe}${mail.listUnsubscribePost ? ` — ${mail.listUnsubscribePost}` : ""}`
            : "aucun (courriel lié à une inscription)"}
        </dd>
        <dt>Pièces jointes</dt>
        <dd>{mail.attachments.length > 0 ? mail.attachments.join(", ") : "aucune"}</dd>
        <dt>Lu depuis</dt>
        <dd>{mail.source}</dd>
      </dl>
      <section aria-labelledby="version-html" className="stack">
        <h2 id="version-html">Version HTML</h2>
        <iframe
          className="mail-preview"
          title={`Version HTML du courriel « ${mail.subject} »`}
          sandbox=""
          srcDoc={mail.html}
        />
      </section>
      <section aria-labelledby="version-texte" className="stack">
        <h2 id="version-texte">Version texte</h2>
        <pre className="card mail-text">{mail.text}</pre>
      </section>
    </div>
  );
}
