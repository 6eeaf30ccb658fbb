import { runCli } from "./cli";

await runCli({}, async () => {
  const { indexDefinitions } = await import("../search/indexes");
  const { checkIndex } = await import("../search/check");
  const lines: string[] = [];
  let problems = 0;
  for (const definition of indexDefinitions()) {
    const report = await checkIndex(definition.base);
    problems += report.missing.length + report.stale.length + report.extra.length;
    lines.push(
      `${report.index} : ${report.expected} attendus, ${report.indexed} indexés, ${report.missing.length} manquants, ${report.stale.length} périmés, ${report.extra.length} en trop`,
    );
    if (report.outdatedVersion) {
      problems += 1;
      lines.push(
        `  documents en version ${report.outdatedVersion.stored}, le code attend la version ${report.outdatedVersion.expected} : l'indexeur les reconstruit à son démarrage (ou npm run search:reindex -- --index ${report.index})`,
      );
    }
    for (const [label, ids] of [
      ["manquants", report.missing],
      ["périmés", report.stale],
      ["en trop", report.extra],
    ] as const) {
      if (ids.length > 0)
        lines.push(`  ${label} : ${ids.slice(0, 20).join(", ")}${ids.length > 20 ? " …" : ""}`);
    }
  }
  if (problems > 0) process.exitCode = 1;
  return lines.length > 0 ? lines.join("\n") : "Aucun index déclaré.";
});
