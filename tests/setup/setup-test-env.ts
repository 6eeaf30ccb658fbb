import { randomBytes } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeEach, inject, vi } from "vitest";

/**
 * Runs in every test file before its imports: gives the file its own database (a copy of the
 * migrated template) and its own Meilisearch index prefix, so files never share data.
 */
const suffix = randomBytes(5).toString("hex");
const database = `test_${suffix}`;
const adminUrl = inject("adminDatabaseUrl");
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${database}" template "${inject("templateDatabase")}"`);

Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: adminUrl.replace(/\/postgres$/, `/${database}`),
  DATABASE_POOL_SIZE: "5",
  MEILI_URL: inject("meiliUrl"),
  MEILI_API_KEY: inject("meiliApiKey"),
  MEILI_INDEX_PREFIX: `t${suffix}_`,
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
});
