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
  /** Why it is sent, for a mail without opt-out that is not about a registration. */
  reason?: string;
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
      : (input.reason ?? "Vous recevez ce courriel car vous êtes inscrit·e à cet événement."),
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

/** The "mot de passe oublié" mail: an essential mail, sent whatever the preferences. */
export function passwordResetMail(input: {
  recipient: Recipient;
  resetUrl: string;
  validMinutes: number;
  links: Links;
}) {
  const { recipient } = input;
  return composeMail({
    userId: recipient.id,
    recipient: recipient.email,
    category: "password-reset",
    subject: "Choisir un nouveau mot de passe",
    heading: "Choisir un nouveau mot de passe",
    blocks: [
      { type: "paragraph", text: `Bonjour ${headerText(recipient.name, 120)},` },
      {
        type: "paragraph",
        text: `Quelqu'un (sans doute vous) a demandé à changer le mot de passe de votre compte Territoires Internet. Le lien ci-dessous est valable ${input.validMinutes} minutes et ne sert qu'une fois.`,
      },
      { type: "button", label: "Choisir un nouveau mot de passe", url: input.resetUrl },
      {
        type: "paragraph",
        text: "Si vous n'avez rien demandé, ignorez ce courriel : votre mot de passe reste le même.",
      },
    ],
    reason: "Vous recevez ce courriel car un nouveau mot de passe a été demandé pour votre compte.",
    preferencesUrl: input.links.preferencesUrl,
  });
}

/** A login from a browser the account never used: told to holders of sensitive roles. */
export function newDeviceMail(input: {
  recipient: Recipient;
  at: Date;
  client: string;
  links: Links;
}) {
  const { recipient } = input;
  const when = formatDateTime(input.at);
  return composeMail({
    userId: recipient.id,
    recipient: recipient.email,
    category: "new-device",
    subject: "Nouvelle connexion à votre compte",
    heading: "Nouvelle connexion à votre compte",
    blocks: [
      { type: "paragraph", text: `Bonjour ${headerText(recipient.name, 120)},` },
      {
        type: "paragraph",
        text: `Votre compte Territoires Internet vient d'être utilisé depuis un appareil qui ne s'y était jamais connecté : le ${when}, ${input.client}.`,
      },
      {
        type: "paragraph",
        text: "Si c'était vous, il n'y a rien à faire. Sinon, changez votre mot de passe tout de suite : cela fermera toutes les autres sessions.",
      },
      {
        type: "button",
        label: "Changer mon mot de passe",
        url: `${input.links.origin}/compte`,
      },
    ],
    reason:
      "Vous recevez ce courriel car votre compte a des droits d'administration, de modération ou de jury.",
    preferencesUrl: input.links.preferencesUrl,
  });
}

/** A reminder of the label's submission deadline, while the application is not submitted. */
export function labelReminderMail(input: {
  recipient: Recipient;
  application: { id: string; collectivityName: string; campaignTitle: string; deadline: Date };
  stage: number;
  daysLeft: number;
  links: Links;
  unsubscribeUrl: string;
}) {
  const { recipient, application, daysLeft } = input;
  const left = daysLeft <= 1 ? "dernier jour" : `plus que ${daysLeft} jours`;
  return composeMail({
    userId: recipient.id,
    recipient: recipient.email,
    category: "label-reminder",
    subject: `${application.campaignTitle} : ${left} pour déposer la candidature`,
    heading: `${left.charAt(0).toUpperCase()}${left.slice(1)} pour déposer la candidature`,
    blocks: [
      { type: "paragraph", text: `Bonjour ${headerText(recipient.name, 120)},` },
      {
        type: "paragraph",
        text: `La candidature de ${application.collectivityName} au ${application.campaignTitle} n'est pas encore déposée. Elle doit l'être avant le ${formatDateTime(application.deadline)}.`,
      },
      {
        type: "button",
        label: "Reprendre la candidature",
        url: `${input.links.origin}/label/candidatures/${application.id}`,
      },
    ],
    reason: `Vous recevez ce rappel car vous êtes membre de ${application.collectivityName}, candidate au label.`,
    unsubscribe: { url: input.unsubscribeUrl, label: "Ne plus recevoir les dates du label" },
    preferencesUrl: input.links.preferencesUrl,
    dedupeKey: `label-reminder:${application.id}:${recipient.id}:${input.stage}:${application.deadline.getTime()}`,
  });
}
