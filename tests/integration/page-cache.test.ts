import { createHash } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { invalidatePages, PAGE_CACHE_CHANNEL } from "../../app/utils/page-cache.server";
import { startServerProcess, type ServerProcess } from "../../bench/lib";
import { startTestApp, type TestApp } from "../helpers/app";
import { createTestUser, loginCookie } from "../helpers/users";

// Two pages that declare themselves cacheable (tag "static") in phase 1.
const PAGE = "/accessibilite";

let app: TestApp;

const get = (target: TestApp | string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${typeof target === "string" ? target : target.origin}${path}`, {
    headers: { "accept-encoding": "gzip", ...headers },
  });

/** Asks until the instance answers from its cache (its LISTEN must be in place first). */
async function warm(target: TestApp | string, path = PAGE, headers: Record<string, string> = {}) {
  await vi.waitFor(
    async () => {
      const response = await get(target, path, headers);
      await response.arrayBuffer();
      expect(response.headers.get("x-page-cache")).toBe("hit");
    },
    { timeout: 10_000, interval: 50 },
  );
}

beforeAll(async () => {
  app = await startTestApp();
  await warm(app);
});
afterAll(async () => {
  await app?.close();
});

describe("cache des pages anonymes", () => {
  test("le visiteur anonyme suivant reçoit la page gardée, identique, sans nouveau rendu", async () => {
    await invalidatePages(["static"]);
    const first = await get(app, PAGE);
    const firstText = await first.text();
    expect(first.headers.get("x-page-cache")).toBe("miss");
    expect(first.headers.get("cache-control")).toBe("no-cache");
    const second = await get(app, PAGE);
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(second.headers.get("cache-control")).toBe("no-cache");
    expect(await second.text()).toBe(firstText);
    // A fresh request id and the security headers on every response, cached or not.
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(second.headers.get("x-content-type-options")).toBe("nosniff");
    // A browser that kept the page revalidates it for nothing.
    const again = await get(app, PAGE, { "if-none-match": second.headers.get("etag")! });
    expect(again.status).toBe(304);
  });

  test("la clé tient compte de l'encodage accepté : chaque client reçoit un corps qu'il sait lire", async () => {
    const encodings = { br: "br", gzip: "gzip", identity: null } as const;
    const texts: string[] = [];
    for (const [accepted, expected] of Object.entries(encodings)) {
      await warm(app, PAGE, { "accept-encoding": accepted });
      const response = await get(app, PAGE, { "accept-encoding": accepted });
      expect(response.headers.get("x-page-cache")).toBe("hit");
      expect(response.headers.get("content-encoding")).toBe(expected);
      texts.push(await response.text());
    }
    for (const text of texts) expect(text).toContain("<h1>Déclaration d");
  });

  test("un membre ne reçoit jamais la page gardée, et sa page n'est gardée pour personne", async () => {
    const member = await createTestUser({ name: "Gwenaëlle Membre-Connectée" });
    const cookie = await loginCookie(member.id);
    await warm(app);
    for (let i = 0; i < 2; i += 1) {
      const response = await get(app, PAGE, { cookie });
      expect(response.headers.get("x-page-cache")).toBeNull();
      expect(response.headers.get("cache-control")).toBe("private, no-cache");
      expect(await response.text()).toContain("Gwenaëlle Membre-Connectée");
    }
    const anonymous = await get(app, PAGE);
    expect(anonymous.headers.get("x-page-cache")).toBe("hit");
    expect(await anonymous.text()).not.toContain("Gwenaëlle");
    // A bearer token is a signed-in request too.
    const api = await get(app, PAGE, { authorization: "Bearer ti_inconnu" });
    expect(api.headers.get("x-page-cache")).toBeNull();
  });

  test("une page gardée n'autorise que ses propres scripts en ligne, par leur empreinte, jamais un nonce réutilisé", async () => {
    await warm(app);
    const response = await get(app, PAGE);
    const html = await response.text();
    const policy = response.headers.get("content-security-policy") ?? "";
    const scriptSrc = /script-src ([^;]*)/.exec(policy)?.[1] ?? "";
    expect(scriptSrc).not.toContain("nonce-");
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
      (match) => !match[1]!.includes("src="),
    );
    expect(inline.length).toBeGreaterThanOrEqual(2);
    for (const [, , content] of inline) {
      const hash = createHash("sha256").update(content!).digest("base64");
      expect(scriptSrc).toContain(`'sha256-${hash}'`);
    }
    // Pages rendered for members keep a fresh nonce each time.
    const member = await createTestUser();
    const cookie = await loginCookie(member.id);
    const nonces = await Promise.all(
      [1, 2].map(async () => {
        const page = await get(app, PAGE, { cookie });
        await page.arrayBuffer();
        return /'nonce-([^']+)'/.exec(page.headers.get("content-security-policy") ?? "")?.[1];
      }),
    );
    expect(nonces[0]).toBeTruthy();
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  test("une page sans étiquette n'est jamais gardée", async () => {
    for (let i = 0; i < 2; i += 1) {
      const response = await get(app, "/annuaire");
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      expect(response.headers.get("x-page-cache")).toBeNull();
    }
  });

  test("quand la connexion LISTEN tombe, le cache se vide et se coupe jusqu'à son retour", async () => {
    await warm(app);
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const killed = await admin`
        select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'territoires-page-cache' and datname = current_database()`;
      expect(killed.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // Cut off: no page served from memory, whatever was kept before.
    await vi.waitFor(async () => {
      const response = await get(app, PAGE);
      await response.arrayBuffer();
      expect(response.headers.get("x-page-cache")).toBeNull();
    });
    await warm(app);
  });
});

describe("invalidation entre instances", () => {
  let other: ServerProcess | undefined;
  afterAll(async () => {
    await other?.stop();
  });

  test("une invalidation atteint par NOTIFY une autre instance, dans un autre processus", async () => {
    other = await startServerProcess(
      "bench/app-server.ts",
      { ...process.env, NODE_ENV: "production", SEARCH_INDEXER: "false" },
      "/tmp",
    );
    await warm(other.origin);
    await warm(app);
    const listener = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    const heard: string[] = [];
    await listener.listen(PAGE_CACHE_CHANNEL, (payload) => heard.push(payload));
    try {
      await invalidatePages(["static"]);
      // This process's instance drops the page before invalidatePages returns.
      const here = await get(app, PAGE);
      await here.arrayBuffer();
      expect(here.headers.get("x-page-cache")).toBe("miss");
      // The other process drops it once the notification arrives.
      await vi.waitFor(async () => {
        const there = await get(other!.origin, PAGE);
        await there.arrayBuffer();
        expect(there.headers.get("x-page-cache")).toBe("miss");
      });
      await vi.waitFor(() =>
        expect(heard.some((payload) => payload.includes("static"))).toBe(true),
      );
    } finally {
      await listener.end();
    }
    // Starting another process takes long on a busy machine.
  }, 60_000);
});
