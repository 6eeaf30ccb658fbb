import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { AdminNav } from "~/components/admin-nav";
import { Notice } from "~/components/notice";
import { decideMembership, listPendingMemberships } from "~/models/collectivities.server";
import { createSession, requireRole } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { profileKindLabels, z } from "~/utils/validation";

const DecisionSchema = z.object({
  intent: z.enum(["approve", "remove"]),
  userId: z.string().min(1).max(64),
  collectivityCode: z.string().min(1).max(20),
});

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, "admin");
  return { pending: await listPendingMemberships(user) };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireRole(args, "admin");
  const parsed = DecisionSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) return json({ message: "Action invalide." }, { status: 400 });
  const { intent, userId, collectivityCode } = parsed.data;
  const done = await decideMembership(user, collectivityCode, userId, intent);
  if (!done) throw new Response("Demande introuvable.", { status: 404 });
  // The member's sessions end (they sign in again with the new rights); one's own, renewed.
  const headers = userId === user.id ? { "Set-Cookie": await createSession(user.id) } : undefined;
  return json(
    { message: intent === "approve" ? "Adhésion validée." : "Demande refusée." },
    { headers },
  );
}

export const meta: MetaFunction = () => [{ title: "Adhésions en attente — Territoires Internet" }];

export default function PendingMemberships() {
  const { pending } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="container">
      <AdminNav />
      <h1>Adhésions en attente</h1>
      {result?.message ? <Notice kind="success">{result.message}</Notice> : null}
      {pending.length === 0 ? (
        <p>Aucune demande en attente. Les nouvelles inscriptions apparaîtront ici.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Demandes d'adhésion en attente</caption>
            <thead>
              <tr>
                <th scope="col">Personne</th>
                <th scope="col">Collectivité</th>
                <th scope="col">Demandée le</th>
                <th scope="col">Décision</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((p) => (
                <tr key={p.userId}>
                  <td>
                    <strong>{p.name}</strong>
                    <br />
                    {p.jobTitle || profileKindLabels[p.profileKind]} — {p.email}
                  </td>
                  <td>
                    <Link to={`/collectivites/${p.collectivityCode}`}>{p.collectivityName}</Link>
                  </td>
                  <td>{formatDateTime(p.requestedAt)}</td>
                  <td className="actions">
                    {(["approve", "remove"] as const).map((intent) => (
                      <Form method="post" key={intent} className="inline-form">
                        <input type="hidden" name="intent" value={intent} />
                        <input type="hidden" name="userId" value={p.userId} />
                        <input type="hidden" name="collectivityCode" value={p.collectivityCode} />
                        <button
                          type="submit"
                          className={
                            intent === "approve" ? "button--small" : "secondary button--small"
                          }
                        >
                          {intent === "approve" ? "Valider" : "Refuser"}
                          <span className="visually-hidden"> la demande de {p.name}</span>
                        </button>
                      </Form>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
