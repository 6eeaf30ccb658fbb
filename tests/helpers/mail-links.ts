import { desc, eq, sql } from "drizzle-orm";

import { db } from "../../db/client";
import { mailOutbox } from "../../db/schema";
import type { TestApp } from "./app";

/**
 * Follows the link of the last mail queued for an address, as its reader would: whatever the
 * transport (SMTP or .eml files), the queue holds the text that is sent.
 */
export async function lastMailLink(app: TestApp, recipient: string, path: string) {
  const [mail] = await db
    .select({ text: mailOutbox.text, subject: mailOutbox.subject })
    .from(mailOutbox)
    .where(eq(sql`lower(${mailOutbox.recipient})`, recipient.toLowerCase()))
    .orderBy(desc(mailOutbox.id))
    .limit(1);
  const prefix = `${app.origin}${path}`;
  const start = mail?.text.indexOf(prefix) ?? -1;
  if (!mail || start < 0) throw new Error(`pas de lien ${path} dans le dernier courriel`);
  const url = new URL(mail.text.slice(start).split(/\s/)[0]!);
  return `${url.pathname}${url.search}`;
}

/** Opens the address link (confirmation, change or undo) mailed to `recipient` and presses its button. */
export async function followAddressLink(app: TestApp, recipient: string, cookie?: string) {
  const path = await lastMailLink(app, recipient, "/adresse/");
  const page = await app.request(path, { cookie });
  if (page.status !== 200) throw new Error(`le lien ${path} répond ${page.status}`);
  return app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "",
    cookie,
  });
}
