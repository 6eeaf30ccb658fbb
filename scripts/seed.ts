import { runCli } from "./cli";

await runCli({}, async () => {
  const { db } = await import("../db/client");
  const { seedIfNeeded } = await import("./seed/index");
  const lines: string[] = [];
  await seedIfNeeded(db, { demo: true, log: (line) => lines.push(line) });
  return lines.length > 0
    ? lines.join("\n")
    : "Rien à charger : les données de démonstration sont déjà là.";
});
