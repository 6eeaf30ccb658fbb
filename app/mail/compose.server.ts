import type { MailAttachment } from "../../db/schema";

/**
 * Builds the two parts of every mail from one description: a plain-text part and a simple,
 * accessible HTML part (one column, real headings, links that say where they go, no images).
 * Whatever members wrote (names, titles) is escaped in the HTML and flattened to one line in
 * headers, so it can neither add markup nor add a header.
 */

export type MailItem = { title: string; url: string; detail?: string };
export type MailBlock =
  | { type: "paragraph"; text: string }
  | { type: "button"; label: string; url: string }
  | {
      type: "section";
      title: string;
      items: MailItem[];
      more?: { label: string; url: string };
      unsubscribe?: { label: string; url: string };
    };

export type OutgoingMail = {
  userId: string | null;
  recipient: string;
  category: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: MailAttachment[];
  /** Makes a scheduled mail idempotent: a second one with the same key is dropped. */
  dedupeKey?: string;
};

export type MailDescription = {
  userId: string | null;
  recipient: string;
  category: string;
  subject: string;
  heading: string;
  blocks: MailBlock[];
  /** Why this person gets the mail, said at the bottom. */
  reason: string;
  /** Present on every non-essential mail: the one-click (RFC 8058) link and the header. */
  unsubscribe?: { url: string; label: string };
  preferencesUrl: string;
  attachments?: MailAttachment[];
  dedupeKey?: string;
};

const ACCENT = "#1f4e79";

/** Control characters, line and paragraph separators: each one could end a header line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HEADER_BREAKERS = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

/** One line of header text: breaks become spaces, runs of spaces one, long text is cut. */
export function headerText(value: string, max = 160) {
  const flat = value.replace(HEADER_BREAKERS, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

export function escapeHtml(value: string) {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** An address we are willing to put in an envelope: one mailbox, no spaces, no brackets. */
export function isSafeAddress(address: string) {
  return /^[^\s<>"',;:()\\[\]@]+@[^\s<>"',;:()\\[\]@]+\.[^\s<>"',;:()\\[\]@]+$/.test(address);
}

const link = (url: string, label: string) =>
  `<a href="${escapeHtml(url)}" style="color:${ACCENT};text-decoration:underline">${escapeHtml(label)}</a>`;

function blockHtml(block: MailBlock) {
  switch (block.type) {
    case "paragraph":
      return `<p style="margin:0 0 16px">${escapeHtml(block.text)}</p>`;
    case "button":
      return `<p style="margin:0 0 24px"><a href="${escapeHtml(block.url)}" style="display:inline-block;background:${ACCENT};color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:underline;font-weight:bold">${escapeHtml(block.label)}</a></p>`;
    case "section": {
      const items = block.items
        .map(
          (item) =>
            `<li style="margin:0 0 12px">${link(item.url, item.title)}${
              item.detail ? `<br><span style="color:#4a4a4a">${escapeHtml(item.detail)}</span>` : ""
            }</li>`,
        )
        .join("");
      const extra = [block.more, block.unsubscribe]
        .filter((entry) => entry !== undefined)
        .map((entry) => `<p style="margin:0 0 16px">${link(entry.url, entry.label)}</p>`)
        .join("");
      return `<h2 style="font-size:18px;margin:24px 0 12px">${escapeHtml(block.title)}</h2><ul style="padding-left:20px;margin:0 0 12px">${items}</ul>${extra}`;
    }
  }
}

function blockText(block: MailBlock) {
  switch (block.type) {
    case "paragraph":
      return block.text;
    case "button":
      return `${block.label} : ${block.url}`;
    case "section": {
      const items = block.items.map(
        (item) => `- ${item.title}${item.detail ? ` (${item.detail})` : ""}\n  ${item.url}`,
      );
      const extra = [block.more, block.unsubscribe]
        .filter((entry) => entry !== undefined)
        .map((entry) => `${entry.label} : ${entry.url}`);
      return [`${block.title.toUpperCase()}`, ...items, ...extra].join("\n");
    }
  }
}

export function composeMail(mail: MailDescription): OutgoingMail {
  const subject = headerText(mail.subject);
  const footerLinks = [
    mail.unsubscribe ? link(mail.unsubscribe.url, mail.unsubscribe.label) : null,
    link(mail.preferencesUrl, "Gérer vos préférences de courriels"),
  ]
    .filter(Boolean)
    .join(" · ");
  const html = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f5f5f5">
<div role="article" aria-label="${escapeHtml(subject)}" lang="fr" style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;color:#1a1a1a;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.5">
<p style="margin:0 0 16px;font-weight:bold;color:${ACCENT}">Territoires Internet</p>
<h1 style="font-size:22px;margin:0 0 16px">${escapeHtml(mail.heading)}</h1>
${mail.blocks.map(blockHtml).join("\n")}
<hr style="border:0;border-top:1px solid #cccccc;margin:24px 0">
<p style="margin:0 0 8px;font-size:14px;color:#4a4a4a">${escapeHtml(mail.reason)}</p>
<p style="margin:0;font-size:14px">${footerLinks}</p>
</div>
</body>
</html>
`;
  const text = [
    mail.heading,
    "",
    mail.blocks.map(blockText).join("\n\n"),
    "",
    "--",
    mail.reason,
    mail.unsubscribe ? `${mail.unsubscribe.label} : ${mail.unsubscribe.url}` : null,
    `Gérer vos préférences de courriels : ${mail.preferencesUrl}`,
  ]
    .filter((line) => line !== null)
    .join("\n");
  const headers: Record<string, string> = mail.unsubscribe
    ? {
        "List-Unsubscribe": `<${mail.unsubscribe.url}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      }
    : {};
  return {
    userId: mail.userId,
    recipient: mail.recipient,
    category: mail.category,
    subject,
    text: `${text}\n`,
    html,
    headers,
    attachments: mail.attachments ?? [],
    dedupeKey: mail.dedupeKey,
  };
}
