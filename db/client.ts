import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the pool or an open transaction: model functions accept both. */
export type Executor = Database | Transaction;

function connect(url: string, max: number) {
  // Every drizzle query is a statement prepared once per connection and reused
  // (scripts/patches/drizzle-orm+*.patch); postgres.js replaces a connection after 30 to 60
  // minutes (its default max_lifetime), which bounds that cache on both sides.
  const client = postgres(url, {
    max,
    onnotice: () => {},
    // Dates come back as Date objects; timestamptz values stay absolute instants.
    connection: { TimeZone: "UTC", application_name: "territoires-internet" },
  });
  return { client, db: drizzle(client, { schema }) };
}

type Settings = { url: string; poolSize: number };

/**
 * Kept on globalThis: the Remix build bundles its own copy of this module, while server.ts and
 * the scripts load it through tsx, and both must share one pool.
 */
const state = ((globalThis as { __territoiresDatabase?: DatabaseState }).__territoiresDatabase ??=
  {});
type DatabaseState = { settings?: Settings; open?: ReturnType<typeof connect> };

/**
 * Where the pool connects: the app passes its validated configuration; scripts and tests that set
 * none use `DATABASE_URL` (and `DATABASE_POOL_SIZE`) from the environment.
 */
export function configureDatabase(settings: Settings) {
  state.settings = settings;
}

function settingsFromEnvironment(): Settings {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL est requis (npm start le fournit)");
  return { url, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) || 10 };
}

function connection() {
  if (!state.open) {
    const { url, poolSize } = state.settings ?? settingsFromEnvironment();
    state.open = connect(url, poolSize);
  }
  return state.open;
}

/** The process-wide drizzle database. */
export const db: Database = new Proxy({} as Database, {
  get(_target, property) {
    const value = Reflect.get(connection().db, property) as unknown;
    return typeof value === "function" ? value.bind(connection().db) : value;
  },
});

export function sqlClient() {
  return connection().client;
}

export async function closeDatabase() {
  const open = state.open;
  state.open = undefined;
  await open?.client.end({ timeout: 5 });
}

export { schema };
