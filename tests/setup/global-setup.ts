import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

import { startServices } from "../../scripts/services";

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    meiliUrl: string;
    meiliApiKey: string;
    /** For the tests of key derivation only: the app never receives it. */
    meiliMasterKey: string;
  }
}

const TEMPLATE = "territoires_template";

/**
 * Starts one real PostgreSQL and one real Meilisearch for the whole run, on free ports with
 * throw-away data, and prepares a template database (migrated, directory imported) that each
 * test file copies.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "territoires-test-"));
  // mkdtemp makes a 0700 folder, which the `postgres` user could not enter when we are root.
  await chmod(dataDir, 0o755);
  const services = await startServices({
    dataDir,
    ephemeral: true,
    // Never the developer's DATABASE_URL or MEILI_URL: tests always get services of their own.
    env: { PATH: process.env.PATH, MEILI_BIN: process.env.MEILI_BIN },
  });
  if (!services.adminUrl) throw new Error("the test services must be embedded");
  const templateUrl = services.adminUrl.replace(/\/postgres$/, `/${TEMPLATE}`);
  const { ensureDatabase } = await import("../../scripts/services");
  await ensureDatabase(services.adminUrl, TEMPLATE);
  const { runMigrations } = await import("../../db/migrate");
  await runMigrations(templateUrl);
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const postgres = (await import("postgres")).default;
  const { importCollectivities } = await import("../../db/collectivities-import");
  const client = postgres(templateUrl, { max: 1, onnotice: () => {} });
  await importCollectivities(drizzle(client));
  await client.end();

  project.provide("adminDatabaseUrl", services.adminUrl);
  project.provide("templateDatabase", TEMPLATE);
  project.provide("meiliUrl", services.env.MEILI_URL);
  project.provide("meiliApiKey", services.env.MEILI_API_KEY);
  project.provide(
    "meiliMasterKey",
    (await readFile(path.join(dataDir, "meili-master-key"), "utf8")).trim(),
  );

  return async () => {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
