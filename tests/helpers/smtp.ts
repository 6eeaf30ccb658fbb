import type { AddressInfo } from "node:net";

import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

import { getConfig } from "../../app/config.server";
import { createMailTransport } from "../../app/mail/transport.server";
import { processMailBatch } from "../../app/models/mail-outbox.server";
import { processPasswordResetRequests } from "../../app/models/password-resets.server";

export type ReceivedMail = { envelopeTo: string[]; raw: string; parsed: ParsedMail };

/**
 * A real SMTP server on loopback that keeps what it receives, parsed by mailparser. It can be
 * stopped and started again on the same port, to play an outage.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const created = new SMTPServer({
        logger: false,
        authOptional: true,
        // Plain SMTP on loopback: no STARTTLS with the library's test certificate.
        disabledCommands: ["STARTTLS", "AUTH"],
        closeTimeout: 100,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            const raw = Buffer.concat(chunks);
            simpleParser(raw).then((parsed) => {
              received.push({
                envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
                raw: raw.toString("utf8"),
                parsed,
              });
              callback();
            }, callback);
          });
        },
      });
      created.on("error", reject);
      created.listen(port, "127.0.0.1", () => {
        server = created;
        resolve((created.server.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    stop: () =>
      new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    restart: async () => {
      await listen(port);
    },
  };
}

/** Sends every due mail of the queue with the configured transport, as the worker would. */
export async function sendQueuedMail() {
  const transport = createMailTransport(getConfig().mail);
  try {
    while ((await processPasswordResetRequests()) > 0) {
      // reset requests become mails first, as in the worker
    }
    while ((await processMailBatch(transport.deliver)) > 0) {
      // until nothing is due
    }
  } finally {
    transport.close();
  }
}

/** The address of the first link of a mail's text part that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string) {
  const text = mail.parsed.text ?? "";
  const start = text.indexOf(prefix);
  if (start < 0) throw new Error(`pas de lien ${prefix} dans « ${mail.parsed.subject ?? ""} »`);
  return text.slice(start).split(/\s/)[0]!;
}

/** A header of the raw message as it arrived (unfolded), or undefined when absent. */
export function headerOf(mail: ReceivedMail, name: string) {
  const head = mail.raw.slice(0, mail.raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  const line = head.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
