import { runCli } from "./cli";

await runCli({}, async () => {
  const { db } = await import("../db/client");
  const { importCog } = await import("../db/seed/cog");
  const result = await importCog(db);
  return `Annuaire : ${result.total} collectivités lues, ${result.written} créées ou modifiées, en ${result.seconds.toFixed(1)} s.`;
});
