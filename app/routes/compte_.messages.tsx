import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { listMemberMessages, markMessagesRead } from "~/models/member-messages.server";
import { requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";

/** The messages members sent each other through "Contacter"; opening the page reads them. */
export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const messages = await listMemberMessages(user.id);
  if (messages.some((message) => message.unread)) await markMessagesRead(user.id);
  return { messages };
}

export const meta: MetaFunction = () => [{ title: "Mes messages — Territoires Internet" }];

export default function MessagesPage() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <div className="container narrow stack">
      <p>
        <Link to="/compte">← Mon compte</Link>
      </p>
      <h1>Mes messages</h1>
      <p className="muted">
        Les messages reçus par votre <Link to="/compte/profil-public">profil public</Link>, et ceux
        que vous avez envoyés. Pour répondre, écrivez depuis le profil de la personne.
      </p>
      {messages.length === 0 ? (
        <p className="card">
          Aucun message. Trouvez qui contacter dans l'
          <Link to="/membres">annuaire des membres</Link>.
        </p>
      ) : (
        <ol className="stack message-list">
          {messages.map((message) => (
            <li key={message.id} id={`message-${message.id}`} className="card stack">
              <p>
                {message.unread ? <span className="badge badge--unread">Nouveau</span> : null}{" "}
                <strong>{message.received ? "De" : "À"} </strong>
                {message.otherId ? (
                  <Link to={`/membres/${message.otherId}`}>{message.otherName}</Link>
                ) : (
                  message.otherName
                )}{" "}
                <span className="muted">— {formatDateTime(message.createdAt)}</span>
              </p>
              <p className="message-body">{message.body}</p>
              {message.received && message.otherId ? (
                <p>
                  <Link to={`/membres/${message.otherId}#contacter`}>
                    Répondre<span className="visually-hidden"> à {message.otherName}</span>
                  </Link>
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
