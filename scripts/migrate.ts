import { runCli } from "./cli";

await runCli({}, async () => {
  const { runMigrations } = await import("../db/migrate");
  await runMigrations(process.env.DATABASE_URL ?? "");
  return "Migrations appliquées.";
});
