import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

// Raw HTML is off: users write markdown only. The sanitiser below is the second line of defence
// (javascript:/data: links, odd markup) and the nonce CSP the third.
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, maxNesting: 20 });

const allowedTags = [
  "p",
  "br",
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
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
];

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags,
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    // Titles of a post start at h3 under the page's h1/h2, so the outline stays right.
    h1: "h3",
    h2: "h4",
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener ugc" }),
  },
};

/** Markdown to sanitised HTML, the same function for preview and display. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), sanitizeOptions);
}
