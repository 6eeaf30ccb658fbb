import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

/**
 * The one markdown renderer of the site: the live preview and the published page call it, so
 * what an author previews is exactly what readers get. Raw HTML is off in markdown-it, and
 * sanitize-html then keeps only an allowlist, which also catches what a markdown-it plugin or a
 * future option might let through.
 */
const markdown = new MarkdownIt({
  html: false,
  linkify: true,
  typographer: false,
  breaks: false,
  // Deep nesting is a classic way to hang a renderer or confuse a sanitiser (mXSS).
  maxNesting: 20,
});

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"], th: ["style"], td: ["style"] },
  allowedStyles: {
    th: { "text-align": [/^(left|right|center)$/] },
    td: { "text-align": [/^(left|right|center)$/] },
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // The page already has its h1 (the title): headings written by authors start at h2.
  transformTags: {
    h1: "h2",
    h5: "h4",
    h6: "h4",
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow ugc noopener" }),
  },
};

export const MARKDOWN_MAX_LENGTH = 20_000;

/** Markdown to sanitised HTML, safe to insert with dangerouslySetInnerHTML. */
export function renderMarkdown(source: string): string {
  const html = markdown.render(source.slice(0, MARKDOWN_MAX_LENGTH));
  return sanitizeHtml(html, sanitizeOptions);
}

/**
 * Plain text of a markdown body, for search documents and the CSV export. Walks markdown-it's
 * tokens rather than rendering and stripping HTML: reindexing 100,000 bodies must stay quick.
 */
export function markdownToText(source: string): string {
  const parts: string[] = [];
  for (const token of markdown.parse(source.slice(0, MARKDOWN_MAX_LENGTH), {})) {
    if (token.type === "inline") {
      for (const child of token.children ?? []) {
        if (child.type === "text" || child.type === "code_inline") parts.push(child.content);
        else if (child.type === "softbreak" || child.type === "hardbreak") parts.push(" ");
      }
      parts.push(" ");
    } else if (token.type === "fence" || token.type === "code_block") {
      parts.push(token.content, " ");
    }
  }
  return parts.join("").replace(/\s+/g, " ").trim();
}

const HIGHLIGHT_MAX_TERMS = 6;

/**
 * Rendered HTML with `terms` wrapped in <mark> wherever they stand as whole words (a search hit
 * opening its post). The HTML goes through the same allowlist again; the marks are added in its
 * text only, so a term can never open a tag of its own.
 */
export function highlightTerms(html: string, terms: readonly string[]): string {
  const words = terms
    .map((term) => term.trim())
    .filter((term) => term.length > 1 && term.length <= 40)
    .slice(0, HIGHLIGHT_MAX_TERMS)
    // As the text reaches the filter: sanitize-html has escaped it already.
    .map((term) => term.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"))
    .map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (words.length === 0) return html;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}&#])(${words.join("|")})(?![\\p{L}\\p{N}])`, "giu");
  return sanitizeHtml(html, {
    ...sanitizeOptions,
    textFilter: (text) => text.replace(pattern, "<mark>$1</mark>"),
  });
}
