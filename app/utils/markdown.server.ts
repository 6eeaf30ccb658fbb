import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

// Raw HTML off: what people type is text or markdown, never markup. The sanitiser is the second
// wall, for whatever markdown-it itself produces (links, images).
// maxNesting keeps absurd nesting (> > > … 300 times) as text instead of 300 levels of tags.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
markdown.options.maxNesting = 20;

const allowlist: sanitizeHtml.IOptions = {
  allowedTags: [
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
    "h2",
    "h3",
    "h4",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ["https", "http", "mailto"],
  allowProtocolRelative: false,
  // Headings of a description sit under the page's own h1.
  transformTags: {
    h1: "h2",
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "noopener noreferrer nofollow" },
    }),
  },
  allowedSchemesAppliedToAttributes: ["href"],
  nestingLimit: 100,
};
allowlist.allowedAttributes = { ...allowlist.allowedAttributes, a: ["href", "title", "rel"] };

const MAX_SOURCE = 100_000;

/** Markdown to sanitised HTML, the one function for preview and display. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source.slice(0, MAX_SOURCE)), allowlist);
}
