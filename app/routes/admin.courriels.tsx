import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { AdminNav } from "~/components/admin-nav";
import { Pagination } from "~/components/pagination";
import { getConfig } from "~/config.server";
import { listOutboxMails } from "~/models/mail-outbox.server";
import { requireRole } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { z } from "~/utils/validation";

const PAGE_SIZE = 50;
const PageSchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });

const mailStatusLabels = {
  pending: "en attente",
  sent: "envoyé",
  failed: "abandonné",
} as const;

export async function loader(args: LoaderFunctionArgs) {
  requireRole(args, "admin");
  const parsed = PageSchema.safeParse(Object.fromEntries(new URL(args.request.url).searchParams));
  const page = parsed.success ? parsed.data.page : 1;
  const { items, totals } = await listOutboxMails({ page, pageSize: PAGE_SIZE });
  // Never the SMTP address itself: it may hold a password.
  const transport = getConfig().mail.smtpUrl ? "smtp" : "files";
  return { items, totals, page, transport, dir: getConfig().mail.dir };
}

export const meta: MetaFunction = () => [{ title: "Courriels envoyés — Territoires Internet" }];

export default function SentMailPage() {
  const { items, totals, page, transport, dir } = useLoaderData<typeof loader>();
  const total = totals.pending + totals.sent + totals.failed;
  return (
    <div className="container stack">
      <AdminNav />
      <h1>Courriels envoyés</h1>
      <p>
        {transport === "smtp"
          ? "Les courriels partent par le serveur SMTP configuré (SMTP_URL)."
          : `Aucun serveur SMTP n'est configuré : chaque courriel est écrit dans un fichier .eml du dossier ${dir}, et aucun ne part.`}{" "}
        Les courriels envoyés restent listés 30 jours.
      </p>
      <p>
        {totals.sent} envoyé{totals.sent > 1 ? "s" : ""}, {totals.pending} en attente,{" "}
        {totals.failed} abandonné{totals.failed > 1 ? "s" : ""}.
      </p>
      {items.length === 0 ? (
        <p className="card">Aucun courriel pour l'instant.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Courriels, du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Objet</th>
                <th scope="col">Destinataire</th>
                <th scope="col">Sorte</th>
                <th scope="col">Créé le</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {items.map((mail) => (
                <tr key={mail.id}>
                  <td>
                    <Link to={`/admin/courriels/${mail.id}`}>{mail.subject}</Link>
                  </td>
                  <td>{mail.recipient}</td>
                  <td>{mail.category}</td>
                  <td>{formatDateTime(mail.createdAt)}</td>
                  <td>
                    {mailStatusLabels[mail.status]}
                    {mail.status !== "sent" && mail.attempts > 0
                      ? ` (${mail.attempts} essai${mail.attempts > 1 ? "s" : ""} : ${mail.lastError ?? ""})`
                      : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={total} />
    </div>
  );
}
