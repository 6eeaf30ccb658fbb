import { createHash } from "node:crypto";

import { describe, expect, test } from "vitest";

import { inlineScriptHashes } from "../../app/utils/page-cache-http.server";
import {
  cachePage,
  PageStore,
  parseInvalidation,
  SITE_TAG,
  type CachedPage,
  type PageDeclaration,
} from "../../app/utils/page-cache.server";

function page(tags: string[], size = 1000, expiresAt = Number.MAX_SAFE_INTEGER): CachedPage {
  return {
    status: 200,
    headers: [["content-type", "text/html; charset=utf-8"]],
    body: Buffer.alloc(size, 1),
    etag: '"p1"',
    scriptSources: "",
    tags,
    expiresAt,
  };
}

describe("magasin de pages", () => {
  test("la taille en octets reste sous la borne : la page la moins récemment lue part la première", () => {
    const store = new PageStore({ maxBytes: 20_000 });
    // About 2,300 bytes each with the key and headers: eight fit, not nine.
    for (const key of ["a", "b", "c", "d", "e", "f", "g", "h"]) {
      expect(store.set(key, page(["t"], 2000), store.mark())).toBe(true);
    }
    expect(store.size).toBe(8);
    store.get("a");
    store.set("i", page(["t"], 2000), store.mark());
    expect(store.bytes).toBeLessThanOrEqual(20_000);
    expect(store.get("b")).toBeUndefined();
    expect(store.get("a")).toBeDefined();
    expect(store.get("i")).toBeDefined();
    expect(store.stats.evicted).toBe(1);
  });

  test("une page plus grande qu'un huitième du magasin n'est pas gardée", () => {
    const store = new PageStore({ maxBytes: 8000 });
    expect(store.set("grande", page(["t"], 2000), store.mark())).toBe(false);
    expect(store.get("grande")).toBeUndefined();
  });

  test("une invalidation retire toutes les pages d'une étiquette, et seulement elles", () => {
    const store = new PageStore({ maxBytes: 1_000_000 });
    store.set("sujet-1", page(["topic:1", "category:3"]), store.mark());
    store.set("sujet-2", page(["topic:2", "category:3"]), store.mark());
    store.set("accueil", page(["home"]), store.mark());
    store.invalidate(["topic:1"]);
    expect(store.get("sujet-1")).toBeUndefined();
    expect(store.get("sujet-2")).toBeDefined();
    store.invalidate(["category:3"]);
    expect(store.get("sujet-2")).toBeUndefined();
    expect(store.get("accueil")).toBeDefined();
  });

  test("une page rendue avant une invalidation de ses étiquettes n'est pas gardée", () => {
    const store = new PageStore({ maxBytes: 1_000_000 });
    const before = store.mark();
    store.invalidate(["topic:1"]);
    expect(store.set("sujet-1", page(["topic:1"]), before)).toBe(false);
    // Another tag's invalidation does not concern it; a rendering started afterwards is kept.
    expect(store.set("sujet-2", page(["topic:2"]), before)).toBe(true);
    expect(store.set("sujet-1", page(["topic:1"]), store.mark())).toBe(true);
  });

  test("une page expirée n'est plus servie", () => {
    let now = 1000;
    const store = new PageStore({ maxBytes: 1_000_000, now: () => now });
    store.set("evenement", page(["event:4"], 100, 1500), store.mark());
    expect(store.get("evenement")).toBeDefined();
    now = 1500;
    expect(store.get("evenement")).toBeUndefined();
    expect(store.size).toBe(0);
  });

  test("vider le magasin écarte aussi les rendus en cours", () => {
    const store = new PageStore({ maxBytes: 1_000_000 });
    const before = store.mark();
    store.clear();
    expect(store.set("x", page(["home"]), before)).toBe(false);
    expect(store.set("x", page(["home"]), store.mark())).toBe(true);
  });
});

describe("déclaration d'une page", () => {
  test("les étiquettes s'ajoutent, celle du site une seule fois, et la plus courte durée l'emporte", () => {
    const pageCache: PageDeclaration = { tags: [] };
    cachePage({ pageCache }, { tags: ["event:4"], maxAgeSeconds: 60 });
    cachePage({ pageCache }, { tags: ["home"], maxAgeSeconds: 300 });
    // Every kept page carries the site's tag, which the directory import invalidates.
    expect(pageCache).toEqual({ tags: [SITE_TAG, "event:4", "home"], maxAgeSeconds: 60 });
  });

  test("une étiquette mal formée est refusée", () => {
    expect(() => cachePage({ pageCache: { tags: [] } }, { tags: ["topic 12"] })).toThrow(
      /invalide/,
    );
  });

  test("un message NOTIFY qui n'a pas la forme attendue est ignoré", () => {
    expect(parseInvalidation('{"origin":"a","tags":["topic:1",3]}')).toEqual({
      origin: "a",
      tags: ["topic:1"],
    });
    expect(parseInvalidation("pas du json")).toBeNull();
    expect(parseInvalidation('{"tags":[]}')).toBeNull();
  });
});

describe("scripts autorisés d'une page gardée", () => {
  const sha = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

  test("seuls les scripts en ligne portant le nonce de la réponse sont autorisés, par leur empreinte", () => {
    const html = [
      '<script nonce="N1">window.__remixContext = {};</script>',
      '<script type="module" async nonce="N1">import "/build/entry.js";</script>',
      "<p><script>alert('injecté')</script></p>",
      '<script nonce="autre">alert(2)</script>',
      '<script nonce="N1" src="/build/x.js"></script>',
    ].join("");
    expect(inlineScriptHashes(html, "N1").split(" ").sort()).toEqual(
      [sha("window.__remixContext = {};"), sha('import "/build/entry.js";')].sort(),
    );
  });
});
