import { count, eq } from "drizzle-orm";

import { importDefaultQuestionnaire } from "../../app/models/label-questionnaires.server";
import type { Database } from "../../db/client";
import { importCollectivities } from "../../db/collectivities-import";
import { appMeta, collectivities } from "../../db/schema";
import { progressCallback } from "../progress";
import { demoSeeds } from "./demo";
import { ensureForumCategories } from "./forums";

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
