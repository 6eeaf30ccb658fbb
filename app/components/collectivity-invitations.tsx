import { Form, Link } from "@remix-run/react";

import { formatDate } from "~/utils/dates";

export type SentInvitation = {
  id: string;
  email: string | null;
  mine: boolean;
  toCollectivityCode: string;
  toCollectivityName: string;
  createdAt: string | Date;
  joinedName: string | null;
  status: "pending" | "joined" | "withdrawn" | "expired";
};

const statusLabels = {
  pending: "en attente",
  joined: "a rejoint le réseau",
  withdrawn: "retirée",
  expired: "expirée",
} as const;

/** "Invitez une commune voisine": the neighbours not yet in the network, each with its button. */
export function NeighbourInvitations({
  collectivityName,
  neighbours,
}: {
  collectivityName: string;
  neighbours: Array<{ code: string; name: string }>;
}) {
  return (
    <section className="card stack" aria-labelledby="voisines">
      <h2 id="voisines">Invitez une commune voisine</h2>
      {neighbours.length === 0 ? (
        <p>Toutes les communes voisines de {collectivityName} sont déjà membres du réseau.</p>
      ) : (
        <>
          <p>Ces communes proches de {collectivityName} ne sont pas encore membres du réseau.</p>
          <ul className="list-plain">
            {neighbours.map((commune) => (
              <li key={commune.code}>
                <Link to={`/collectivites/${commune.code}`}>{commune.name}</Link> —{" "}
                <Link to={`/invitations?vers=${commune.code}`}>
                  Inviter<span className="visually-hidden"> {commune.name}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The invitations a collectivity sent, and who joined thanks to them (its members only). */
export function SentInvitations({ invitations }: { invitations: SentInvitation[] }) {
  const joined = invitations.filter((invitation) => invitation.status === "joined");
  return (
    <section className="card stack" aria-labelledby="invitations">
      <h2 id="invitations">Invitations envoyées</h2>
      {joined.length > 0 ? (
        <p>
          Ont rejoint le réseau grâce à vous :{" "}
          {joined
            .map(
              (invitation) =>
                `${invitation.joinedName ?? "un ancien membre"} (${invitation.toCollectivityName})`,
            )
            .join(", ")}
          .
        </p>
      ) : null}
      {invitations.length === 0 ? (
        <p>Aucune invitation pour l'instant.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Invitations envoyées et leur suite</caption>
          <thead>
            <tr>
              <th scope="col">Collectivité invitée</th>
              <th scope="col">Envoyée le</th>
              <th scope="col">Suite</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((invitation) => (
              <tr key={invitation.id}>
                <td>
                  {invitation.toCollectivityName}
                  {invitation.email ? ` (${invitation.email})` : null}
                </td>
                <td>{formatDate(new Date(invitation.createdAt))}</td>
                <td>
                  {statusLabels[invitation.status]}
                  {invitation.joinedName ? ` : ${invitation.joinedName}` : null}
                </td>
                <td>
                  {invitation.mine && invitation.status === "pending" ? (
                    <Form method="post" action="/invitations">
                      <input type="hidden" name="intent" value="withdraw" />
                      <input type="hidden" name="id" value={invitation.id} />
                      <button type="submit" className="link-button">
                        Retirer
                        <span className="visually-hidden">
                          {" "}
                          l'invitation de {invitation.toCollectivityName}
                        </span>
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
