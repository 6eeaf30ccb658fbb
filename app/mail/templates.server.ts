import type { MailAttachment } from "../../db/schema";
import { formatDateTime } from "../utils/dates";
import {
  digestLabels,
  preferenceKindLabels,
  type DigestFrequency,
  type PreferenceKind,
} from "../utils/notification-preferences";
import { composeMail, headerText, type MailBlock, type MailItem } from "./compose.server";

/** Every mail the platform sends, in French, from plain data: one function per message. */

type Recipient = { id: string; email: string; name: string };
type Links = { origin: string; preferencesUrl: string };

/** The mail of an in-app notification (mention, reply, followed topic, moderation, event). */
export function notificationMail(input: {
  recipient: Recipient;
  notification: { id: number; text: string; url: string };
  links: Links;
  /** Null for the mails of an event one is registered for, which one cannot opt out of. */
  optOut: { kind: PreferenceKind; url: string } | null;
  attachments?: MailAttachment[];
}) {
  const { recipient, notification, links, optOut } = input;
  return composeMail({
    userId: recipient.id,
    recipient: recipient.email,
    category: optOut ? `notification:${optOut.kind}` : "notification:event",
    subject: notification.text,
    heading: headerText(notification.text, 300),
    blocks: [
      { type: "paragraph", text: `Bonjour ${headerText(recipient.name, 120)},` },
      { type: "paragraph", text: notification.text },
      {
        type: "button",
        label: "Voir sur Territoires Internet",
        url: links.origin + notification.url,
      },
    ],
    reason: optOut
      ? `Vous recevez ce courriel car vous avez choisi d'être prévenu·e immédiatement : ${preferenceKindLabels[optOut.kind].toLowerCase()}.`
      : "Vous recevez ce courriel car vous êtes inscrit·e à cet événement.",
    unsubscribe: optOut ? { url: optOut.url, label: "Ne plus recevoir ces courriels" } : undefined,
    preferencesUrl: links.preferencesUrl,
    attachments: input.attachments,
    dedupeKey: `notification:${notification.id}`,
  });
}

export type DigestSection = {
  kind: PreferenceKind;
  title: string;
  items: MailItem[];
  /** Items beyond those listed, and the page that shows them all. */
  more?: { count: number; url: string };
  unsubscribeUrl: string;
};

const periodWords = {
  immediately: "depuis notre dernier message",
  daily: "depuis hier",
  weekly: "cette semaine",
} as const;

/** A résumé: one section per kind with something new; never built for an empty period. */
export function digestMail(input: {
  recipient: Recipient;
  frequency: DigestFrequency | "immediately";
  periodKey: string;
  sections: DigestSection[];
  links: Links;
  unsubscribeUrl: string;
}) {
  const { recipient, frequency, sections } = input;
  const count = sections.reduce((total, section) => total + section.items.length, 0);
  const subject =
    frequency === "immediately"
      ? `Du nouveau sur Territoires Internet (${count})`
      : `Votre résumé ${frequency === "daily" ? "du jour" : "de la semaine"} : ${count} nouveauté${count > 1 ? "s" : ""}`;
  const blocks: MailBlock[] = [
    { type: "paragraph", text: `Bonjour ${headerText(recipient.name, 120)},` },
    {
      type: "paragraph",
      text: `Voici ce qui s'est passé ${periodWords[frequency]} sur Territoires Internet et qui peut vous intéresser.`,
    },
    ...sections.map((section) => ({
      type: "section" as const,
      title: section.title,
      items: section.items,
      more: section.more
        ? {
            label: `Et ${section.more.count} autre${section.more.count > 1 ? "s" : ""} sur le site`,
            url: section.more.url,
          }
        : undefined,
      // A sweep mail has one section, whose link is the one at the bottom.
      unsubscribe:
        frequency === "immediately"
          ? undefined
          : {
              label: `Ne plus recevoir : ${preferenceKindLabels[section.kind].toLowerCase()}`,
              url: section.unsubscribeUrl,
            },
    })),
  ];
  const what = frequency === "immediately" ? "ces nouvelles" : digestLabels[frequency];
  return composeMail({
    userId: recipient.id,
    recipient: recipient.email,
    category: `digest:${frequency}`,
    subject,
    heading: subject,
    blocks,
    reason: `Vous recevez ${what} selon vos préférences de courriels.`,
    unsubscribe: {
      url: input.unsubscribeUrl,
      label:
        frequency === "immediately"
          ? "Ne plus recevoir ces nouvelles"
          : `Ne plus recevoir ${digestLabels[frequency]}`,
    },
    preferencesUrl: input.links.preferencesUrl,
    dedupeKey: `digest:${frequency}:${input.periodKey}:${recipient.id}`,
  });
}

export function calendarAttachment(ics: string): MailAttachment {
  return {
    filename: "evenement.ics",
    contentType: "text/calendar; charset=utf-8; method=PUBLISH",
    content: ics,
  };
}

/** The day-before reminder of an event, with its .ics. */
export function eventReminderMail(input: {
  recipient: Recipient;
  event: {
    id: string;
    slug: string;
    title: string;
    startsAt: Date;
    timeZone: string;
    place: string;
    onlineUrl: string | null;
  };
  ics: string;
  links: Links;
}) {
  const { recipient, event } = input;
  const when = formatDateTime(event.startsAt, event.timeZone);
  return composeMail({
    userId: recipient.id,
    recipient: recipient.email,
    category: "event-reminder",
    subject: `Rappel : ${event.title}, ${when}`,
    heading: `C'est demain : ${event.title}`,
    blocks: [
      { type: "paragraph", text: `Bonjour ${headerText(recipient.name, 120)},` },
      { type: "paragraph", text: `Vous êtes inscrit·e à « ${event.title} », le ${when}.` },
      ...(event.place ? [{ type: "paragraph" as const, text: `Lieu : ${event.place}.` }] : []),
      ...(event.onlineUrl
        ? [{ type: "paragraph" as const, text: `Lien de connexion : ${event.onlineUrl}` }]
        : []),
      {
        type: "paragraph",
        text: "L'invitation jointe (fichier .ics) l'ajoute à votre agenda. Si vous ne pouvez plus venir, annulez votre inscription pour laisser la place à quelqu'un d'autre.",
      },
      {
        type: "button",
        label: "Voir l'événement",
        url: `${input.links.origin}/evenements/${event.slug}`,
      },
    ],
    reason: "Vous recevez ce rappel car vous êtes inscrit·e à cet événement.",
    preferencesUrl: input.links.preferencesUrl,
    attachments: [calendarAttachment(input.ics)],
    dedupeKey: `event-reminder:${event.id}:${recipient.id}:${event.startsAt.getTime()}`,
  });
}
