import { runCli } from "./cli";
import { progress } from "./progress";

await runCli({ index: { type: "string" } }, async (values) => {
  const { indexDefinitions } = await import("../search/indexes");
  const { reindex } = await import("../search/reindex");
  const lines: string[] = [];
  for (const definition of indexDefinitions()) {
    if (typeof values.index === "string" && values.index !== definition.base) continue;
    const bar = progress(`Réindexation de ${definition.base}`, 0);
    const result = await reindex(definition.base, { onProgress: (count) => bar.update(count) });
    const seconds = bar.finish();
    lines.push(
      `${definition.base} : ${result.documents} documents en ${seconds.toFixed(1)} s, ${result.replayed} modifications rejouées`,
    );
  }
  return lines.length > 0 ? lines.join("\n") : "Aucun index à reconstruire.";
});
