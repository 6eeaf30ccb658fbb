import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

import { db } from "../../db/client";
import { users } from "../../db/schema";
import { withServices } from "../../scripts/services";
import { indexName, searchClient, searchIndex, searchKey, searchKeyUid } from "../../search/client";
import { startTestApp, type TestApp } from "../helpers/app";
import { createTestUser } from "../helpers/users";

/** Meilisearch keys (issue 10, items 9 and 10; RELIABILITY 35). */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  const ready = await searchClient()
    .createIndex(indexName("cles_test"), { primaryKey: "id" })
    .waitTask();
  expect(ready.status).toBe("succeeded");
});
afterAll(async () => app.close());

const meiliUrl = inject("meiliUrl");
const post = (key: string, route: string, body: unknown) =>
  fetch(`${meiliUrl}${route}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("clé de recherche de l'application", () => {
  test("les recherches passent par une clé qui ne peut que chercher, dans nos index", async () => {
    const key = await searchKey();
    expect(key).not.toBe(process.env.MEILI_API_KEY);
    const own = indexName("cles_test");
    expect((await post(key, `/indexes/${own}/search`, { q: "" })).status).toBe(200);
    // RELIABILITY 35: the key of the searches cannot write…
    expect((await post(key, `/indexes/${own}/documents`, [{ id: "x" }])).status).toBe(403);
    expect((await post(key, "/indexes", { uid: `${own}_bis` })).status).toBe(403);
    // …nor read another deployment's indexes.
    expect((await post(key, "/indexes/autre_deploiement/search", { q: "" })).status).toBe(403);
  });

  test("la clé est créée une fois : chaque démarrage retrouve la même", async () => {
    const first = await searchKey();
    const key = await searchClient().getKey(searchKeyUid(process.env.MEILI_INDEX_PREFIX ?? ""));
    expect(key.key).toBe(first);
    expect(key.actions).toEqual(["search"]);
    expect(key.indexes).toEqual([`${process.env.MEILI_INDEX_PREFIX}*`]);
  });

  test("chaque recherche utilise cette clé, jamais la clé d'administration", async () => {
    await searchIndex(indexName("cles_test"), "", {});
    // Revoked in Meilisearch, the key stops every search of the app: none goes with another.
    await searchClient().deleteKey(searchKeyUid(process.env.MEILI_INDEX_PREFIX ?? ""));
    await expect(searchIndex(indexName("cles_test"), "", {})).rejects.toThrow(/Meilisearch 403/);
  });
});

describe("commandes sur des services extérieurs", () => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const folder of scratch) await rm(folder, { recursive: true, force: true });
  });

  const externalEnv = () => ({
    NODE_ENV: "production" as const,
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATABASE_URL: process.env.DATABASE_URL!,
    MEILI_URL: meiliUrl,
    MEILI_MASTER_KEY: inject("meiliMasterKey"),
    LOG_LEVEL: "silent",
  });

  test("npm run admin:create fonctionne avec DATABASE_URL, MEILI_URL et MEILI_MASTER_KEY", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "territoires-cli-"));
    scratch.push(dataDir);
    // An existing account: updating it reads the whole configuration (sessions are closed).
    const { email } = await createTestUser();
    const child = spawn(
      "node",
      [
        "--import",
        "tsx",
        "scripts/admin-create.ts",
        "--email",
        email,
        "--password",
        "une phrase de passe solide",
        "--name",
        "Admin Externe",
      ],
      { env: { ...externalEnv(), DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(output).not.toContain("MEILI_API_KEY");
    expect(code, output).toBe(0);
    expect(output).toContain(`Administrateur mis à jour : ${email}`);
    const [row] = await db.select({ roles: users.roles }).from(users).where(eq(users.email, email));
    expect(row?.roles).toContain("admin");
  }, 60_000);

  test("la clé maîtresse quitte l'environnement dès la clé d'administration obtenue", async () => {
    const saved = { ...process.env };
    const dataDir = await mkdtemp(path.join(tmpdir(), "territoires-cli-"));
    scratch.push(dataDir);
    delete process.env.MEILI_API_KEY;
    Object.assign(process.env, externalEnv());
    try {
      const seen = await withServices(dataDir, async () => ({
        master: process.env.MEILI_MASTER_KEY,
        admin: process.env.MEILI_API_KEY,
      }));
      expect(seen.master).toBeUndefined();
      expect(seen.admin).toBe(saved.MEILI_API_KEY);
    } finally {
      for (const key of Object.keys(process.env)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
