/**
 * `npm run bench:search`: 100,000 synthetic initiatives in a throw-away PostgreSQL and
 * Meilisearch, a full reindex from PostgreSQL, then /api/v1/initiatives?q= with facets at 10
 * concurrent clients beside the very same requests sent straight to Meilisearch; then the
 * federated search (bench/federated.ts) over them, forum replies and events.
 * Options: BENCH_COUNT (100000), BENCH_POSTS (50000), BENCH_EVENTS (5000), BENCH_SECONDS (20 per
 * side), BENCH_CLIENTS (10).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { progress } from "../scripts/progress";
import { startServices } from "../scripts/services";
import { federatedRows } from "./federated";
import { closedLoopRound, emptySample, sampleSummary, startServerProcess } from "./lib";

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);
// Both sides alternate in short rounds, so a busy neighbour on the machine weighs on both alike.
const ROUNDS = 4;

const queries: Array<Record<string, string>> = [
  { q: "mediation numerique" },
  { q: "conseil municipal en direct" },
  { q: "fibre", theme: "infrastructures-thd" },
  { q: "données ouvertes", region: "53" },
  { q: "teleconsultation" },
  { q: "budget participatif", theme: "democratie-citoyennete" },
  { q: "seniors isolement" },
  { q: "fablab mediatheque" },
  { q: "wifi public", region: "84" },
  { q: "formation des agents", theme: "administration-agents" },
  { q: "covoiturage rural" },
  { q: "inscription scolaire" },
  { q: "archives numerisees", region: "11" },
  { q: "portail citoyen" },
  { q: "eclairage inteligent" },
  { q: "visite virtuelle patrimoine" },
  { q: "commerce de proximite", theme: "economie-emploi" },
  { q: "sauvegarde externalisee" },
  { q: "tiers lieu", region: "75" },
  { q: "qualite de l'air" },
];

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), "bench-search-"));
  await chmod(dataDir, 0o755);
  const services = await startServices({
    dataDir,
    ephemeral: true,
    env: { NODE_ENV: "production", PATH: process.env.PATH, MEILI_BIN: process.env.MEILI_BIN },
    // Meilisearch's own warnings say why a write was slow or refused.
    log: process.env.BENCH_VERBOSE ? (line) => process.stderr.write(line) : undefined,
  });
  // A service that dies would otherwise show up only as a trial that never finds its reply.
  services.onCrash((message) => console.error(message));
  Object.assign(process.env, services.env, {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    SEARCH_INDEXER: "false",
    RATE_LIMITS: "false",
    MEILI_INDEX_PREFIX: "bench_",
  });
  const rows: Array<[string, string]> = [];
  try {
    const { runMigrations } = await import("../db/migrate");
    const { db } = await import("../db/client");
    const { importCollectivities } = await import("../db/collectivities-import");
    const { generateSyntheticInitiatives } = await import("../scripts/seed/synthetic-initiatives");
    await import("../search/indexes");
    const { reindex } = await import("../search/reindex");
    const { initiativeSearchParams } = await import("../app/models/initiative-search.server");
    const { InitiativeQuerySchema } = await import("../app/utils/initiative-schemas");
    const { indexName } = await import("../search/client");

    await runMigrations(services.env.DATABASE_URL);
    await importCollectivities(db);
    const generation = progress("Corpus synthétique", COUNT);
    const generationStart = performance.now();
    await generateSyntheticInitiatives(db, COUNT, {
      onProgress: (done) => generation.update(done),
    });
    generation.finish();
    rows.push([
      "Corpus généré (PostgreSQL)",
      `${COUNT.toLocaleString("fr-FR")} initiatives en ${((performance.now() - generationStart) / 1000).toFixed(1)} s`,
    ]);

    const bar = progress("Réindexation", COUNT);
    const reindexStart = performance.now();
    const result = await reindex("initiatives", { onProgress: (done) => bar.update(done) });
    bar.finish();
    const reindexSeconds = (performance.now() - reindexStart) / 1000;
    rows.push([
      "Réindexation complète depuis PostgreSQL",
      `${reindexSeconds.toFixed(1)} s (objectif < 120 s)`,
    ]);
    rows.push([
      "Débit d'indexation",
      `${Math.round(result.documents / reindexSeconds).toLocaleString("fr-FR")} documents/s`,
    ]);

    if (!existsSync("build/index.js")) spawnSync("npx", ["remix", "build"], { stdio: "inherit" });
    const app = await startServerProcess("bench/app-server.ts", process.env, "/tmp/search-prof");
    const appUrl = (i: number) =>
      `${app.origin}/api/v1/initiatives?${new URLSearchParams(queries[i % queries.length]).toString()}`;
    const meiliUrl = `${services.env.MEILI_URL}/indexes/${indexName("initiatives")}/search`;
    const meiliBodies = queries.map((query) => {
      const parsed = InitiativeQuerySchema.parse(query);
      const { q, params } = initiativeSearchParams(parsed);
      return JSON.stringify({ q, ...params });
    });
    const meiliHeaders = {
      Authorization: `Bearer ${services.env.MEILI_API_KEY}`,
      "Content-Type": "application/json",
    };

    // Warm-up of both paths, so neither pays for first-request costs in the figures.
    for (let i = 0; i < queries.length * 2; i += 1) {
      await (await fetch(appUrl(i))).arrayBuffer();
      await (
        await fetch(meiliUrl, {
          method: "POST",
          headers: meiliHeaders,
          body: meiliBodies[i % queries.length],
        })
      ).arrayBuffer();
    }
    const meiliSample = emptySample();
    const appSample = emptySample();
    for (let r = 0; r < ROUNDS; r += 1) {
      await closedLoopRound(
        CLIENTS,
        (i) =>
          fetch(meiliUrl, {
            method: "POST",
            headers: meiliHeaders,
            body: meiliBodies[i % queries.length],
          }),
        SECONDS / ROUNDS,
        meiliSample,
      );
      await closedLoopRound(CLIENTS, (i) => fetch(appUrl(i)), SECONDS / ROUNDS, appSample);
    }

    // Publication → searchable: POST through the API, then search for its unique word until it
    // shows up. The indexer runs here, as it would beside the web server.
    const { startIndexer } = await import("../search/indexer");
    const { upsertAdmin } = await import("../app/models/accounts.server");
    const { createApiToken } = await import("../app/utils/auth.server");
    const indexer = startIndexer();
    const admin = await upsertAdmin({
      email: "bench@exemple.fr",
      password: "une phrase de passe solide",
      name: "Banc",
    });
    const token = (await createApiToken(admin.userId, "bench")).token;
    const delays: number[] = [];
    // Timed from the very first write after the reindex, the worst case for Meilisearch.
    for (let i = 0; i < 10; i += 1) {
      const word = `zorglub${i}${Date.now().toString(36)}`;
      const response = await fetch(`${app.origin}/api/v1/initiatives`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          title: `Atelier ${word} pour les habitants`,
          summary:
            "Une initiative publiée pendant la mesure, pour chronométrer son arrivée dans l'index.",
          body: "Texte de l'initiative publiée pendant la mesure.",
          themes: ["services-en-ligne"],
          status: "published",
          collectivityCode: "56260",
        }),
      });
      if (response.status !== 201) throw new Error(`publication refusée (${response.status})`);
      const published = performance.now();
      const { id } = (await response.json()) as { id: string };
      for (;;) {
        const found = (await (
          await fetch(`${app.origin}/api/v1/initiatives?q=${word}`)
        ).json()) as { items: Array<{ id: string }> };
        // This very initiative: typo tolerance also finds the previous trials' near-identical words.
        if (found.items.some((item) => item.id === id)) break;
        if (performance.now() - published > 30_000)
          throw new Error("initiative introuvable après 30 s");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      delays.push(performance.now() - published);
    }
    // The site-wide search, over these initiatives and the replies and events written now.
    const federated = await federatedRows({
      appOrigin: app.origin,
      meiliUrl: services.env.MEILI_URL,
      meiliHeaders,
      databaseUrl: services.env.DATABASE_URL,
      clients: CLIENTS,
      seconds: SECONDS,
      rounds: ROUNDS,
    });
    await indexer.close();
    await app.stop();
    if (process.env.BENCH_VERBOSE) {
      console.error("délais", delays.map((d) => d.toFixed(0)).join(" "));
      // Where a slow publication spent its time: each write as Meilisearch saw it.
      const tasks = (await (
        await fetch(
          `${services.env.MEILI_URL}/tasks?indexUids=${indexName("initiatives")}&types=documentAdditionOrUpdate&limit=11`,
          { headers: meiliHeaders },
        )
      ).json()) as { results: Array<{ enqueuedAt: string; startedAt: string; duration: string }> };
      for (const task of tasks.results.reverse()) {
        const waited = Date.parse(task.startedAt) - Date.parse(task.enqueuedAt);
        console.error(`tâche Meilisearch : attente ${waited} ms, durée ${task.duration}`);
      }
    }
    delays.sort((a, b) => a - b);
    rows.push([
      "Publication → trouvée par q (10 essais)",
      `médiane ${delays[5]!.toFixed(0)} ms, max ${delays.at(-1)!.toFixed(0)} ms (objectif < 2 000 ms)`,
    ]);
    const viaMeili = sampleSummary(meiliSample);
    const viaApp = sampleSummary(appSample);

    const ms = (value: number) => `${value.toFixed(1)} ms`;
    rows.push([
      `Meilisearch direct, ${CLIENTS} clients`,
      `p50 ${ms(viaMeili.p50)}, p95 ${ms(viaMeili.p95)}, ${viaMeili.rps.toFixed(0)} req/s, ${viaMeili.errors} erreurs`,
    ]);
    rows.push([
      `API /api/v1/initiatives?q=, ${CLIENTS} clients`,
      `p50 ${ms(viaApp.p50)}, p95 ${ms(viaApp.p95)}, ${viaApp.rps.toFixed(0)} req/s, ${viaApp.errors} erreurs`,
    ]);
    rows.push([
      "p95 API / p95 Meilisearch",
      `${(viaApp.p95 / viaMeili.p95).toFixed(2)} × (objectif ≤ 1,3 ×)`,
    ]);
    rows.push(...federated);
  } catch (error) {
    // Said before the services stop: their shutdown may end this process first.
    console.error(error);
    throw error;
  } finally {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(
    `\nBanc d'essai de la recherche (initiatives, puis fédérée) (${COUNT.toLocaleString("fr-FR")} documents)`,
  );
  console.log(`${"".padEnd(width, "─")}───${"".padEnd(50, "─")}`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)} │ ${value}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
