import { runCli } from "./cli";
import { progressCallback } from "./progress";

await runCli({}, async () => {
  const { db } = await import("../db/client");
  const { importCollectivities } = await import("../db/collectivities-import");
  const result = await importCollectivities(db, progressCallback("Import de l'annuaire (COG)"));
  return `Annuaire : ${result.total} collectivités lues, ${result.written} créées ou modifiées, en ${result.seconds.toFixed(1)} s.`;
});
