import { runCli } from "./cli";

await runCli({}, async () => {
  const { db } = await import("../db/client");
  const { demoSeeding, seedIfNeeded } = await import("./seed/index");
  const lines: string[] = [];
  // Asked for by name: as SEED_DEMO=true, refused in production on a public address.
  const { demo } = demoSeeding(
    { ...process.env, SEED_DEMO: process.env.SEED_DEMO === "force" ? "force" : "true" },
    { embeddedDatabase: false },
  );
  await seedIfNeeded(db, { demo, log: (line) => lines.push(line) });
  return lines.length > 0
    ? lines.join("\n")
    : "Rien à charger : les données de démonstration sont déjà là.";
});
