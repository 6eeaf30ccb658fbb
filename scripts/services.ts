import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import postgres from "postgres";

import { startEmbeddedPostgres } from "../db/embedded";
import { startEmbeddedMeilisearch } from "../search/embedded";
import { freePort } from "./ports";

export type Services = {
  env: { DATABASE_URL: string; MEILI_URL: string; MEILI_API_KEY: string };
  /** Connection to the PostgreSQL server's maintenance database (create/drop databases). */
  adminUrl?: string;
  stop: () => Promise<void>;
  onCrash: (listener: (message: string) => void) => void;
};

type Options = {
  dataDir: string;
  ephemeral?: boolean;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
};

const DATABASE_NAME = "territoires";

/**
 * Gives the app a PostgreSQL and a Meilisearch: the ones named by DATABASE_URL and MEILI_URL, or
 * embedded ones whose data lives in `dataDir` (reused on the next start).
 */
export async function startServices(options: Options): Promise<Services> {
  const env = options.env ?? process.env;
  await mkdir(options.dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const crashListeners: Array<(message: string) => void> = [];
  const crashed = (message: string) => crashListeners.forEach((listener) => listener(message));
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => {});
  };

  try {
    let databaseUrl = env.DATABASE_URL;
    let adminUrl: string | undefined;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({
        dataDir: path.join(options.dataDir, "pg"),
        port: Number(env.PG_PORT) || (await freePort()),
        ephemeral: options.ephemeral,
        log: options.log,
      });
      stops.push(pg.stop);
      pg.onCrash((code) =>
        crashed(`PostgreSQL s'est arrêté de façon inattendue (code ${String(code)}).`),
      );
      adminUrl = pg.url("postgres");
      databaseUrl = pg.url(DATABASE_NAME);
      await ensureDatabase(adminUrl, DATABASE_NAME);
    }

    let meiliUrl = env.MEILI_URL;
    let apiKey = env.MEILI_API_KEY;
    if (!meiliUrl) {
      const masterKey = await readOrCreateSecret(path.join(options.dataDir, "meili-master-key"));
      const meili = await startEmbeddedMeilisearch({
        dataDir: path.join(options.dataDir, "meili"),
        port: Number(env.MEILI_PORT) || (await freePort()),
        masterKey,
        log: options.log,
      });
      stops.push(meili.stop);
      meili.onCrash((code) =>
        crashed(`Meilisearch s'est arrêté de façon inattendue (code ${String(code)}).`),
      );
      meiliUrl = meili.url;
      apiKey = await adminApiKey(meiliUrl, masterKey);
    } else if (!apiKey) {
      if (!env.MEILI_MASTER_KEY) {
        throw new Error("MEILI_URL est défini : donnez aussi MEILI_MASTER_KEY ou MEILI_API_KEY.");
      }
      apiKey = await adminApiKey(meiliUrl, env.MEILI_MASTER_KEY);
    }
    return {
      env: { DATABASE_URL: databaseUrl, MEILI_URL: meiliUrl, MEILI_API_KEY: apiKey },
      adminUrl,
      stop,
      onCrash: (listener) => crashListeners.push(listener),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const RUNNING_FILE = "services.json";

/** Lets command-line tools reach the services of a running `npm start`. */
export async function recordRunningServices(dataDir: string, services: Services) {
  await writeFile(
    path.join(dataDir, RUNNING_FILE),
    JSON.stringify({ pid: process.pid, env: services.env }),
    {
      mode: 0o600,
    },
  );
}

export async function forgetRunningServices(dataDir: string) {
  await rm(path.join(dataDir, RUNNING_FILE), { force: true });
}

async function runningServices(dataDir: string): Promise<Services["env"] | null> {
  try {
    const saved = JSON.parse(await readFile(path.join(dataDir, RUNNING_FILE), "utf8")) as {
      pid: number;
      env: Services["env"];
    };
    process.kill(saved.pid, 0);
    return saved.env;
  } catch {
    return null;
  }
}

/**
 * Hands the services to this process. The master key only served to read the administration
 * key: it leaves the environment, so that neither the app nor anything it runs can read it.
 */
export function adoptServices(env: Services["env"]) {
  Object.assign(process.env, env);
  delete process.env.MEILI_MASTER_KEY;
}

/**
 * For command-line tools: the services named in the environment, those of a running
 * `npm start`, or embedded ones started for the duration of the command. Keys are derived by
 * `startServices`, as for `npm start`.
 */
export async function withServices<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const external = Boolean(process.env.DATABASE_URL && process.env.MEILI_URL);
  if (!external) {
    const running = await runningServices(dataDir);
    if (running) {
      adoptServices(running);
      return work();
    }
  }
  const services = await startServices({ dataDir });
  adoptServices(services.env);
  // External services: nothing was started, so nothing to migrate or stop.
  if (external) return work();
  try {
    const { runMigrations } = await import("../db/migrate");
    await runMigrations(services.env.DATABASE_URL);
    return await work();
  } finally {
    const { closeDatabase } = await import("../db/client");
    await closeDatabase();
    await services.stop();
  }
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      await sql.unsafe(
        `create database "${name}"${template ? ` template "${template}"` : ""} encoding 'UTF8'`,
      );
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function readOrCreateSecret(file: string) {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(24).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}

/**
 * The app receives Meilisearch's default admin key, never the master key: the one derivation
 * for `npm start`, the worker and every command (through `startServices`).
 */
async function adminApiKey(url: string, masterKey: string): Promise<string> {
  const response = await fetch(`${url}/keys?limit=100`, {
    headers: { Authorization: `Bearer ${masterKey}` },
  });
  if (!response.ok)
    throw new Error(`Meilisearch refuse la clé maîtresse (HTTP ${response.status}).`);
  const { results } = (await response.json()) as {
    results: Array<{ name: string | null; key: string }>;
  };
  const key = results.find((candidate) => candidate.name === "Default Admin API Key");
  if (!key) throw new Error("Meilisearch n'a pas de clé « Default Admin API Key ».");
  return key.key;
}
