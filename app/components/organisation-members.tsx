import { Form, Link } from "@remix-run/react";

import { MemberChip } from "./member-chip";

type ListedMember = {
  userId: string;
  name: string;
  jobTitle: string;
  profileKind: "elu" | "agent" | "partenaire";
  status: "pending" | "approved" | "former";
  isReferent: boolean;
};

/**
 * The members of a collectivity or a partner organisation: approved, pending (for those who may
 * decide) and former; the référent or an admin approves, removes and hands the role over.
 */
export function OrganisationMembers({
  members,
  canManage,
}: {
  members: ListedMember[];
  canManage: boolean;
}) {
  const approved = members.filter((m) => m.status === "approved");
  const pending = members.filter((m) => m.status === "pending");
  const former = members.filter((m) => m.status === "former");
  return (
    <section className="card" aria-labelledby="membres">
      <h2 id="membres">Membres du réseau</h2>
      {approved.length === 0 ? (
        <p>
          Aucun membre pour l'instant. Vous travaillez pour cette organisation ?{" "}
          <Link to="/inscription">Rejoignez le réseau</Link>.
        </p>
      ) : (
        <ul className="list-plain">
          {approved.map((m) => (
            <li key={m.userId} className="actions">
              <MemberChip name={m.name} jobTitle={m.jobTitle} profileKind={m.profileKind} />
              {m.isReferent ? <span className="badge">référent·e</span> : null}
              {canManage ? (
                <>
                  {!m.isReferent ? (
                    <DecisionButton
                      intent="make-referent"
                      userId={m.userId}
                      label="Nommer référent·e"
                      name={m.name}
                    />
                  ) : null}
                  <DecisionButton intent="remove" userId={m.userId} label="Retirer" name={m.name} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canManage && pending.length > 0 ? (
        <>
          <h3>Demandes d'adhésion en attente</h3>
          <ul className="list-plain">
            {pending.map((m) => (
              <li key={m.userId} className="actions">
                <MemberChip name={m.name} jobTitle={m.jobTitle} profileKind={m.profileKind} />
                <DecisionButton intent="approve" userId={m.userId} label="Valider" name={m.name} />
                <DecisionButton intent="remove" userId={m.userId} label="Refuser" name={m.name} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {former.length > 0 ? (
        <>
          <h3>Ancien·nes membres</h3>
          <ul className="list-plain">
            {former.map((m) => (
              <li key={m.userId}>
                <MemberChip
                  name={m.name}
                  jobTitle={m.jobTitle}
                  profileKind={m.profileKind}
                  former
                />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function DecisionButton({
  intent,
  userId,
  label,
  name,
}: {
  intent: string;
  userId: string;
  label: string;
  name: string;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="userId" value={userId} />
      <button
        type="submit"
        className={intent === "remove" ? "secondary button--small" : "button--small"}
      >
        {label} <span className="visually-hidden">{name}</span>
      </button>
    </Form>
  );
}
