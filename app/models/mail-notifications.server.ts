import { inArray } from "drizzle-orm";

import type { Executor } from "../../db/client";
import { users, type NotificationKind } from "../../db/schema";
import { notificationMail } from "../mail/templates.server";
import type { PreferenceKind } from "../utils/notification-preferences";
import { calendarAttachmentsBySlug } from "./mail-event-reminders.server";
import { enqueueMail } from "./mail-outbox.server";
import { mailLinks, preferencesOf, unsubscribeUrl } from "./mail-preferences.server";

/**
 * The preference deciding whether a notification is also mailed at once; null for the news of
 * an event one is registered for (promotion, change, cancellation, organisers' message), which
 * is always mailed: it is part of the registration.
 */
const preferenceOf: Record<NotificationKind, PreferenceKind | null> = {
  mention: "mentions",
  reply: "mentions",
  watching: "followed-topics",
  moderation: "moderation",
  "event-promoted": null,
  "event-message": null,
  "event-cancelled": null,
  "event-changed": null,
  // A day's alert notification is rewritten as matches arrive: mailed at once only by choice.
  alert: "initiatives",
  // A message through a profile is addressed to the person, like a mention.
  "member-message": "mentions",
  // An invitation waits for the référent's answer: it is part of their role, mailed at once.
  "series-invitation": null,
};

/** Why a mail nobody can opt out of was sent, when it is not an event one is registered for. */
const mandatoryReasons: Partial<Record<NotificationKind, string>> = {
  "series-invitation":
    "Vous recevez ce courriel car vous êtes référent·e d'une collectivité invitée à accueillir une étape.",
};

type SavedNotification = {
  id: number;
  userId: string;
  kind: NotificationKind;
  text: string;
  url: string;
};

const EVENT_PATH = /^\/evenements\/([^/?#]+)$/;

/**
 * Mails the notifications just written whose recipients want them "immediately" (and always the
 * event ones), inside the same transaction: call it right where the notifications are created.
 * A waitlist promotion carries the event's .ics.
 */
export async function enqueueNotificationMails(tx: Executor, saved: SavedNotification[]) {
  if (saved.length === 0) return 0;
  const userIds = [...new Set(saved.map((n) => n.userId))];
  const [recipients, preferences] = await Promise.all([
    tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(inArray(users.id, userIds)),
    preferencesOf(tx, userIds),
  ]);
  const byId = new Map(recipients.map((r) => [r.id, r]));
  const due = saved.filter((notification) => {
    const kind = preferenceOf[notification.kind];
    return (
      byId.has(notification.userId) &&
      (kind === null || preferences.get(notification.userId)?.frequencies[kind] === "immediately")
    );
  });
  const promotedSlugs = due
    .filter((n) => n.kind === "event-promoted")
    .map((n) => EVENT_PATH.exec(n.url)?.[1])
    .filter((slug) => slug !== undefined);
  const calendars = await calendarAttachmentsBySlug(tx, [...new Set(promotedSlugs)]);
  const links = mailLinks();
  const mails = [];
  for (const notification of due) {
    const kind = preferenceOf[notification.kind];
    const calendar =
      notification.kind === "event-promoted"
        ? calendars.get(EVENT_PATH.exec(notification.url)?.[1] ?? "")
        : undefined;
    mails.push(
      notificationMail({
        recipient: byId.get(notification.userId)!,
        notification,
        links,
        optOut: kind ? { kind, url: await unsubscribeUrl(notification.userId, kind) } : null,
        attachments: calendar ? [calendar] : [],
        reason: mandatoryReasons[notification.kind],
      }),
    );
  }
  return enqueueMail(tx, mails);
}
