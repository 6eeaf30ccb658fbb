import { count, eq } from "drizzle-orm";

import { importDefaultQuestionnaire } from "../../app/models/label-questionnaires.server";
import type { Database } from "../../db/client";
import { importCollectivities } from "../../db/collectivities-import";
import { appMeta, collectivities } from "../../db/schema";
import { progressCallback } from "../progress";
import { demoSeeds } from "./demo";
import { ensureForumCategories } from "./forums";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether to load the demo content, whose accounts have a password printed in the README:
 * SEED_DEMO, by default only with the embedded database (a trial on one's own machine), and
 * never in production on a public address unless SEED_DEMO=force. Throws when SEED_DEMO=true
 * asks for it there; returns a note when the default was turned down.
 */
export function demoSeeding(
  env: Record<string, string | undefined>,
  options: { embeddedDatabase: boolean },
): { demo: boolean; note?: string } {
  const wanted = env.SEED_DEMO ?? (options.embeddedDatabase ? "true" : "false");
  if (wanted === "force") return { demo: true };
  if (wanted !== "true" && wanted !== "1") return { demo: false };
  const origin = env.APP_ORIGIN ? new URL(env.APP_ORIGIN) : null;
  const publicSite = env.NODE_ENV === "production" && origin && !LOCAL_HOSTS.has(origin.hostname);
  if (!publicSite) return { demo: true };
  const why = `${origin.origin} est une adresse publique en production : les comptes de démonstration (mot de passe connu) n'y sont pas créés`;
  if (env.SEED_DEMO) throw new Error(`${why}. SEED_DEMO=force pour passer outre.`);
  return { demo: false, note: `${why} (SEED_DEMO=force pour passer outre).` };
}

/**
 * First-run seeding: the directory when it is empty, then each domain's demo content once
 * (a marker per domain, so a domain added later is seeded on the next start).
 */
export async function seedIfNeeded(
  db: Database,
  options: { demo: boolean; log: (line: string) => void },
) {
  const [row] = await db.select({ total: count() }).from(collectivities);
  if ((row?.total ?? 0) === 0) {
    const result = await importCollectivities(db, progressCallback("Import de l'annuaire"));
    options.log(
      `Annuaire importé : ${result.total} collectivités en ${result.seconds.toFixed(1)} s.`,
    );
  }
  // Reference data, not demo content: production needs the forum categories too.
  await ensureForumCategories(db);
  // The label's questionnaire file: a new version in PostgreSQL whenever the file changed.
  await importDefaultQuestionnaire();
  if (!options.demo) return;
  for (const seed of demoSeeds) {
    const key = `demo:${seed.name}`;
    const [done] = await db.select().from(appMeta).where(eq(appMeta.key, key));
    if (done) continue;
    const summary = await seed.run(db);
    await db.insert(appMeta).values({ key, value: new Date().toISOString() });
    options.log(`Contenu de démonstration « ${seed.name} » : ${summary}.`);
  }
}
