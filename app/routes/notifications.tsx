import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { listNotifications, markAllRead } from "~/models/notifications.server";
import { requireUser, safeRedirect } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  return { notifications: await listNotifications(user.id) };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  await markAllRead(user.id);
  return redirect("/notifications");
}

export const meta: MetaFunction = () => [{ title: "Notifications — Territoires Internet" }];

export default function NotificationsPage() {
  const { notifications } = useLoaderData<typeof loader>();
  const unread = notifications.filter((n) => !n.readAt).length;
  return (
    <div className="narrow stack">
      <h1>Notifications</h1>
      {unread > 0 ? (
        <Form method="post">
          <button type="submit" className="secondary button--small">
            Tout marquer comme lu ({unread})
          </button>
        </Form>
      ) : null}
      {notifications.length === 0 ? (
        <p>
          Aucune notification. Vous serez prévenu·e ici des messages des organisateurs et des places
          libérées aux <Link to="/evenements">événements</Link> auxquels vous êtes inscrit·e.
        </p>
      ) : (
        <ul className="list-plain">
          {notifications.map((n) => (
            <li key={n.id} className="card">
              <p>
                {!n.readAt ? <span className="badge badge--pending">Nouveau</span> : null}{" "}
                <strong>
                  {n.url ? (
                    <Link to={safeRedirect(n.url, "/notifications")}>{n.title}</Link>
                  ) : (
                    n.title
                  )}
                </strong>
              </p>
              {n.body ? <p className="pre-line">{n.body}</p> : null}
              <p className="muted">{formatDateTime(n.createdAt)}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
