import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";

import { Pagination } from "~/components/pagination";
import {
  listNotifications,
  markNotificationsRead,
  openNotification,
} from "~/models/notifications.server";
import { requireUser, safeRedirect } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { NOTIFICATIONS_PAGE_SIZE } from "~/utils/forum-schemas";
import { invariantResponse } from "~/utils/replies.server";
import { z } from "~/utils/validation";

const kindLabels = {
  mention: "Mention",
  reply: "Réponse",
  watching: "Sujet suivi",
  moderation: "Modération",
  "event-promoted": "Place confirmée",
  "event-message": "Message des organisateurs",
  "event-cancelled": "Événement annulé",
  "event-changed": "Événement modifié",
  alert: "Alerte",
  "member-message": "Message d'un membre",
  "series-invitation": "Invitation à accueillir une étape",
} as const;

const PageSchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("open"), id: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal("read-all") }),
]);

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const parsed = PageSchema.safeParse(Object.fromEntries(new URL(args.request.url).searchParams));
  const page = parsed.success ? parsed.data.page : 1;
  const { items, total } = await listNotifications(user.id, page);
  return { items, total, page };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await args.request.formData()));
  invariantResponse(parsed.success, "Action inconnue.", 400);
  if (parsed.data.intent === "read-all") {
    await markNotificationsRead(user.id);
    return redirect("/notifications");
  }
  const url = await openNotification(user.id, parsed.data.id);
  invariantResponse(url, "Notification introuvable.");
  return redirect(safeRedirect(url, "/notifications"));
}

export const meta: MetaFunction = () => [{ title: "Notifications — Territoires Internet" }];

export default function NotificationsPage() {
  const { items, total, page } = useLoaderData<typeof loader>();
  const unread = items.some((item) => item.readAt === null);
  return (
    <div className="container narrow stack">
      <h1>Notifications</h1>
      {unread ? (
        <Form method="post">
          <input type="hidden" name="intent" value="read-all" />
          <button type="submit" className="secondary">
            Tout marquer comme lu
          </button>
        </Form>
      ) : null}
      {items.length === 0 ? (
        <p className="card">
          Aucune notification pour l'instant. Vous serez prévenu·e ici des mentions, des réponses à
          vos sujets et des décisions de modération.
        </p>
      ) : (
        <ul className="notification-list">
          {items.map((item) => (
            <li key={item.id} className={`card${item.readAt ? "" : " notification--unread"}`}>
              <Form method="post">
                <input type="hidden" name="intent" value="open" />
                <input type="hidden" name="id" value={item.id} />
                <span className="badge">{kindLabels[item.kind]}</span>{" "}
                {item.readAt ? null : <strong className="visually-hidden">Non lue : </strong>}
                <button type="submit" className="link-button">
                  {item.text}
                </button>
                <br />
                <small className="muted">{formatDateTime(item.createdAt)}</small>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageSize={NOTIFICATIONS_PAGE_SIZE} total={total} />
    </div>
  );
}
