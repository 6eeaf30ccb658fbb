import { eq } from "drizzle-orm";
import type { Settings } from "meilisearch";

import { sha256 } from "../app/utils/ids.server";
import { db } from "../db/client";
import { appMeta } from "../db/schema";

/*
 * What each Meilisearch index holds, remembered in app_meta under its uid: the settings last
 * applied to it, and the version of its documents' shape (see `documentVersion` in registry.ts).
 */

const settingsKey = (uid: string) => `search-settings:${uid}`;
const documentVersionKey = (uid: string) => `search-documents:${uid}`;
const fingerprint = (settings: Settings) => sha256(JSON.stringify(settings));

async function readValue(key: string) {
  const [row] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, key));
  return row?.value;
}

async function writeValue(key: string, value: string) {
  await db
    .insert(appMeta)
    .values({ key, value })
    .onConflictDoUpdate({ target: appMeta.key, set: { value, updatedAt: new Date() } });
}

export async function settingsApplied(uid: string, settings: Settings) {
  return (await readValue(settingsKey(uid))) === fingerprint(settings);
}

/** Remembers which settings an index holds, so that they are not sent again for nothing. */
export async function recordSettings(uid: string, settings: Settings) {
  await writeValue(settingsKey(uid), fingerprint(settings));
}

/** Indexes filled before versions were recorded hold version 1 documents. */
export async function storedDocumentVersion(uid: string) {
  const value = await readValue(documentVersionKey(uid));
  return value === undefined ? 1 : Number(value);
}

export async function recordDocumentVersion(uid: string, version: number) {
  await writeValue(documentVersionKey(uid), String(version));
}
