import { formatDateTime } from "../utils/dates";
import { composeMail, headerText } from "./compose.server";

/**
 * The mails about an account's address (confirmation at sign-up, email change at the new
 * address, notice with an undo link at the old one). They are essential: sent whatever the
 * preferences, with no unsubscribe link.
 */

type Recipient = { id: string; email: string; name: string };
type Links = { origin: string; preferencesUrl: string };

const hello = (recipient: Recipient) => ({
  type: "paragraph" as const,
  text: `Bonjour ${headerText(recipient.name, 120)},`,
});

export function verifyAddressMail(input: {
  recipient: Recipient;
  url: string;
  expiresAt: Date;
  links: Links;
}) {
  const { recipient } = input;
  return composeMail({
    userId: recipient.id,
    recipient: recipient.email,
    category: "address-verification",
    subject: "Confirmez votre adresse électronique",
    heading: "Confirmez votre adresse électronique",
    blocks: [
      hello(recipient),
      {
        type: "paragraph",
        text: `Bienvenue sur Territoires Internet. Pour publier (initiatives, discussions, événements), confirmez que cette adresse est bien la vôtre. Le lien est valable jusqu'au ${formatDateTime(input.expiresAt)} et ne sert qu'une fois.`,
      },
      { type: "button", label: "Confirmer mon adresse", url: input.url },
      {
        type: "paragraph",
        text: "Si vous n'avez pas créé de compte, ignorez ce courriel : sans confirmation, ce compte ne peut rien publier.",
      },
    ],
    reason: "Vous recevez ce courriel car un compte a été créé avec cette adresse.",
    preferencesUrl: input.links.preferencesUrl,
  });
}

export function confirmNewAddressMail(input: {
  recipient: Recipient;
  newEmail: string;
  url: string;
  expiresAt: Date;
  links: Links;
}) {
  const { recipient } = input;
  return composeMail({
    userId: recipient.id,
    recipient: input.newEmail,
    category: "email-change",
    subject: "Confirmez votre nouvelle adresse électronique",
    heading: "Confirmez votre nouvelle adresse électronique",
    blocks: [
      hello(recipient),
      {
        type: "paragraph",
        text: `Vous avez demandé que votre compte Territoires Internet utilise désormais cette adresse. Le changement ne prendra effet qu'une fois ce lien suivi ; il est valable jusqu'au ${formatDateTime(input.expiresAt)}.`,
      },
      { type: "button", label: "Confirmer ma nouvelle adresse", url: input.url },
      {
        type: "paragraph",
        text: "Si vous n'avez rien demandé, ignorez ce courriel : rien ne change.",
      },
    ],
    reason: "Vous recevez ce courriel car cette adresse a été proposée pour un compte.",
    preferencesUrl: input.links.preferencesUrl,
  });
}

export function addressChangedMail(input: {
  recipient: Recipient;
  oldEmail: string;
  newEmail: string;
  undoUrl: string;
  undoUntil: Date;
  links: Links;
}) {
  const { recipient } = input;
  return composeMail({
    userId: recipient.id,
    recipient: input.oldEmail,
    category: "email-changed",
    subject: "L'adresse de votre compte a changé",
    heading: "L'adresse de votre compte a changé",
    blocks: [
      hello(recipient),
      {
        type: "paragraph",
        text: `Votre compte Territoires Internet utilise désormais l'adresse ${headerText(input.newEmail, 254)} au lieu de celle-ci.`,
      },
      {
        type: "paragraph",
        text: `Si ce n'était pas vous, annulez ce changement avant le ${formatDateTime(input.undoUntil)} : votre ancienne adresse sera rétablie, toutes les sessions fermées et les jetons d'API révoqués. Changez ensuite votre mot de passe.`,
      },
      { type: "button", label: "Annuler ce changement", url: input.undoUrl },
    ],
    reason: "Vous recevez ce courriel car cette adresse était celle de votre compte.",
    preferencesUrl: input.links.preferencesUrl,
  });
}

/** "Invitez une commune voisine": sent to a person who has no account (no preferences yet). */
export function invitationMail(input: {
  email: string;
  inviterName: string;
  fromCollectivityName: string;
  toCollectivityName: string;
  message: string;
  url: string;
  expiresAt: Date;
  links: Links;
}) {
  const inviter = headerText(input.inviterName, 120);
  const from = headerText(input.fromCollectivityName, 120);
  return composeMail({
    userId: null,
    recipient: input.email,
    category: "invitation",
    subject: `${inviter} (${from}) vous invite sur Territoires Internet`,
    heading: "Une invitation à rejoindre le réseau",
    blocks: [
      { type: "paragraph", text: "Bonjour," },
      {
        type: "paragraph",
        text: `${inviter}, de ${from}, invite ${input.toCollectivityName} à rejoindre Territoires Internet, le réseau des collectivités qui partagent leurs initiatives numériques.`,
      },
      ...(input.message
        ? [{ type: "paragraph" as const, text: `Son message : « ${input.message} »` }]
        : []),
      { type: "button", label: "Créer mon compte", url: input.url },
      {
        type: "paragraph",
        text: `Cette invitation est valable jusqu'au ${formatDateTime(input.expiresAt)}. Sans suite de votre part, vous ne recevrez rien d'autre.`,
      },
    ],
    reason: `Vous recevez ce courriel car ${inviter} a saisi votre adresse pour vous inviter.`,
    preferencesUrl: input.links.preferencesUrl,
  });
}
