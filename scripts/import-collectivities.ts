import { runCli } from "./cli";
import { progressCallback } from "./progress";

await runCli({}, async () => {
  const { db } = await import("../db/client");
  const { importCollectivities } = await import("../db/collectivities-import");
  const result = await importCollectivities(db, progressCallback("Import de l'annuaire (COG)"));
  // Names and areas show on nearly every page: the running instances drop all they kept.
  if (result.written > 0) {
    const { invalidatePages, SITE_TAG } = await import("../app/utils/page-cache.server");
    await invalidatePages([SITE_TAG]);
  }
  return `Annuaire : ${result.total} collectivités lues, ${result.written} créées ou modifiées, en ${result.seconds.toFixed(1)} s.`;
});
