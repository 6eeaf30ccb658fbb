import { randomBytes } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeEach, inject, vi } from "vitest";

import { deleteIndexesWithPrefix } from "../helpers/search-indexes";

/**
 * Runs in every test file before its imports: gives the file its own database (a copy of the
 * migrated template) and its own Meilisearch index prefix, so files never share data; both are
 * deleted when the file ends.
 */
const suffix = randomBytes(5).toString("hex");
const database = `test_${suffix}`;
const adminUrl = inject("adminDatabaseUrl");
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${database}" template "${inject("templateDatabase")}"`);

const indexPrefix = `t${suffix}_`;
const meili = { url: inject("meiliUrl"), apiKey: inject("meiliApiKey") };

Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: adminUrl.replace(/\/postgres$/, `/${database}`),
  DATABASE_POOL_SIZE: "5",
  MEILI_URL: meili.url,
  MEILI_API_KEY: meili.apiKey,
  MEILI_INDEX_PREFIX: indexPrefix,
  LOG_LEVEL: "silent",
  HOST: "127.0.0.1",
});

// An unexpected console.error is a bug the test did not notice: fail on it.
beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error pendant le test : ${args.map(String).join(" ")}`);
  });
});

afterAll(async () => {
  const { closeDatabase } = await import("../../db/client");
  await closeDatabase();
  await admin.unsafe(`drop database if exists "${database}" with (force)`);
  await admin.end();
  await deleteIndexesWithPrefix(meili, indexPrefix);
});
