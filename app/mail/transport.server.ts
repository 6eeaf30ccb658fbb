import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";

import type { Config } from "../config.server";
import type { Delivery, DeliveryError, QueuedMail } from "../models/mail-outbox.server";

/**
 * Where mail goes: an SMTP server when SMTP_URL is set, otherwise (the embedded default) one
 * `.eml` file per message in MAIL_DIR, which the admin page "Courriels envoyés" lists. Both build
 * the MIME message with nodemailer.
 */
export type MailTransport = {
  deliver: (mail: QueuedMail) => Promise<Delivery>;
  close: () => void;
};

type MailSettings = Config["mail"];

function domainOf(from: string) {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "territoires-internet.invalid";
}

function messageOf(mail: QueuedMail, settings: MailSettings) {
  return {
    from: settings.from,
    to: mail.recipient,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    // The same id on every attempt: a receiver can tell a resend from a new message.
    messageId: `<mail-${mail.id}.${mail.createdAt.getTime()}@${domainOf(settings.from)}>`,
    date: mail.createdAt,
    attachments: mail.attachments.map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: attachment.content,
    })),
  };
}

export function createMailTransport(settings: MailSettings): MailTransport {
  if (settings.smtpUrl) {
    const smtp = nodemailer.createTransport({
      url: settings.smtpUrl,
      pool: true,
      maxConnections: 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return {
      deliver: async (mail) => {
        try {
          const info = await smtp.sendMail(messageOf(mail, settings));
          return { messageId: info.messageId };
        } catch (error) {
          const failure = error as DeliveryError & { responseCode?: number };
          // 5xx: the server refused this message for good (unknown mailbox…); 4xx and network
          // errors are worth another try.
          if (typeof failure.responseCode === "number" && failure.responseCode >= 500) {
            failure.permanent = true;
          }
          throw failure;
        }
      },
      close: () => smtp.close(),
    };
  }
  const dir = path.resolve(settings.dir);
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    deliver: async (mail) => {
      const info = await builder.sendMail(messageOf(mail, settings));
      await mkdir(dir, { recursive: true });
      const file = `${mail.createdAt.toISOString().replace(/[:.]/g, "-")}-${mail.id}.eml`;
      // Written aside then renamed, so that nobody ever reads half a message.
      const partial = path.join(dir, `.${file}.part`);
      await writeFile(partial, info.message as Buffer);
      await rename(partial, path.join(dir, file));
      return { file, messageId: info.messageId };
    },
    close: () => builder.close(),
  };
}

const EML_NAME = /^[\w.-]+\.eml$/;

/** A written .eml parsed back, for the admin preview; null when the file is gone. */
export async function readMailFile(settings: MailSettings, file: string) {
  if (!EML_NAME.test(file)) return null;
  const source = await readFile(path.join(path.resolve(settings.dir), file)).catch(() => null);
  if (!source) return null;
  const parsed = await simpleParser(source);
  // mailparser folds List-* headers into one object: read these two as they were written.
  const rawHeader = (name: string) =>
    parsed.headerLines
      .find((line) => line.key === name)
      ?.line.slice(name.length + 1)
      .replace(/\r?\n\s+/g, " ")
      .trim();
  return {
    from: parsed.from?.text ?? "",
    to: Array.isArray(parsed.to)
      ? parsed.to.map((a) => a.text).join(", ")
      : (parsed.to?.text ?? ""),
    subject: parsed.subject ?? "",
    date: parsed.date ?? null,
    text: parsed.text ?? "",
    html: typeof parsed.html === "string" ? parsed.html : "",
    attachments: parsed.attachments.map((attachment) => attachment.filename ?? "sans nom"),
    listUnsubscribe: rawHeader("list-unsubscribe"),
    listUnsubscribePost: rawHeader("list-unsubscribe-post"),
  };
}
