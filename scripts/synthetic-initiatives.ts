/** `npm run db:synthetic -- --count 100000`: a synthetic corpus of initiatives (benchmarks). */
import { runCli } from "./cli";
import { progress } from "./progress";

await runCli({ count: { type: "string" }, seed: { type: "string" } }, async (values) => {
  const count = Number(values.count ?? 10_000);
  if (!Number.isInteger(count) || count < 1) throw new Error("--count doit être un entier positif");
  const { db } = await import("../db/client");
  const { generateSyntheticInitiatives } = await import("./seed/synthetic-initiatives");
  const bar = progress("Initiatives synthétiques", count);
  await generateSyntheticInitiatives(db, count, {
    seed: Number(values.seed ?? 42),
    onProgress: (done) => bar.update(done),
  });
  const seconds = bar.finish();
  return `${count} initiatives synthétiques créées en ${seconds.toFixed(1)} s ; lancez npm run search:reindex.`;
});
