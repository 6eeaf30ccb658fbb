import { describe, expect, test } from "vitest";

import { renderMarkdown } from "../../app/utils/markdown.server";

describe("rendu markdown", () => {
  test("garde la mise en forme et les liens https", () => {
    const html = renderMarkdown("**Gras** et [le site](https://exemple.fr)\n\n- un\n- deux");
    expect(html).toContain("<strong>Gras</strong>");
    expect(html).toMatch(/<a href="https:\/\/exemple.fr" rel="[^"]*nofollow[^"]*">/);
    expect(html).toContain("<li>un</li>");
  });

  test("rend inertes scripts, gestionnaires d'événements et liens javascript: ou data:", () => {
    const html = renderMarkdown(
      [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<svg><script>alert(1)</script></svg>",
        "[x](javascript:alert(1))",
        "[y](data:text/html;base64,PHNjcmlwdD4=)",
        "![z](https://exemple.fr/a.png)",
      ].join("\n\n"),
    );
    // What is left is text: no tag, no event handler attribute, no dangerous href.
    expect(html).not.toMatch(/<(script|img|svg)/i);
    expect(html).not.toMatch(/<[^>]*\sonerror=/i);
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).toContain("&lt;script&gt;");
  });

  test("une imbrication de 300 niveaux est bornée, sans erreur ni page démesurée", () => {
    const html = renderMarkdown(`${"> ".repeat(300)}fond`);
    expect(html.match(/<blockquote>/g)?.length ?? 0).toBeLessThanOrEqual(20);
    expect(html.length).toBeLessThan(2_000);
  });
});
