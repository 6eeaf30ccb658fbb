import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { getConfig } from "../app/config.server";
import { singleton, takeSingleton } from "../app/utils/singleton.server";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the pool or an open transaction: model functions accept both. */
export type Executor = Database | Transaction;

function connect(url: string, max: number) {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    // Dates come back as Date objects; timestamptz values stay absolute instants.
    connection: { TimeZone: "UTC", application_name: "territoires-internet" },
  });
  return { client, db: drizzle(client, { schema }) };
}

function connection() {
  const config = getConfig();
  return singleton("database", () => connect(config.databaseUrl, config.databasePoolSize));
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
  await takeSingleton<ReturnType<typeof connect>>("database")?.client.end({ timeout: 5 });
}

export { schema };
