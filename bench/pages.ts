/**
 * `npm run bench:pages`: what each page family costs, in app + PostgreSQL (+ Meilisearch) CPU
 * milliseconds per request read from /proc, beside req/s and p50/p99, for an anonymous visitor
 * and for a member, with the empty page (/accessibilite) as the floor in the same run.
 * The app runs twice on the same data: without the page cache (every page rendered), then with it
 * (anonymous rows only: what a cached page costs; pages that declare no tags are rendered).
 * Options: BENCH_SECONDS (10 per row), BENCH_CONNECTIONS (10), BENCH_ONLY (a family name, or a
 * comma-separated list), corpus sizes BENCH_MEMBERS (40), BENCH_INITIATIVES (300), BENCH_TOPICS
 * (3), BENCH_EVENTS (10); BENCH_WARM_UP (20 rounds of every page before a pass). BENCH_PROFILE=1 writes a CPU profile of the app per pass (into BENCH_PROFILE_DIR, kept, or the
 * data directory, removed at the end).
 */
import path from "node:path";

import { corpusSizes, createContent, createMembers, type Corpus } from "./corpus";
import {
  BROWSER_ENCODING,
  getOk,
  measurePage,
  pageRow,
  postgresPid,
  printTable,
  startBenchServices,
  startServerProcess,
  waitForIndexing,
  type CpuProcesses,
  type ServerProcess,
} from "./lib";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 20);
const ONLY = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Every page family, with the URL measured in this corpus. */
function pageFamilies(corpus: Corpus) {
  const topic = corpus.topics[0]!;
  const families: Array<{ name: string; label: string; path: string }> = [
    { name: "home", label: "accueil", path: "/" },
    {
      name: "search",
      label: "initiatives, recherche et facettes",
      path: "/initiatives?q=mediation&theme=inclusion-mediation&kind=commune",
    },
    {
      name: "initiative",
      label: "une initiative",
      path: `/initiatives/${corpus.initiatives[0]!.slug}`,
    },
    { name: "forums", label: "forums", path: "/forums" },
    { name: "category", label: "une catégorie", path: `/forums/${topic.categorySlug}` },
    { name: "topic", label: "un sujet de 30 messages", path: `${topic.path}?page=1` },
    { name: "events", label: "événements", path: "/evenements" },
    { name: "event", label: "un événement", path: `/evenements/${corpus.events[0]!.slug}` },
    { name: "directory", label: "annuaire, recherche", path: "/annuaire?q=vann" },
    {
      name: "collectivity",
      label: "une collectivité",
      path: `/collectivites/${corpus.collectivityCode}`,
    },
    { name: "floor", label: "plancher : /accessibilite", path: "/accessibilite" },
  ];
  return families.filter((family) => !ONLY || ONLY.includes(family.name));
}

const bench = await startBenchServices("pages");
let server: ServerProcess | undefined;

try {
  const { closeDatabase } = await import("../db/client");
  const sizes = corpusSizes({
    members: 40,
    initiatives: 300,
    topics: 3,
    postsPerTopic: 30,
    events: 10,
    registrationsPerEvent: 6,
    eventCapacity: 40,
  });
  const members = await createMembers(sizes.members);

  const start = async (pageCache: boolean) =>
    startServerProcess(
      "bench/app-server.ts",
      { ...bench.env, PAGE_CACHE: String(pageCache) },
      process.env.BENCH_PROFILE_DIR ?? path.join(bench.dataDir, "profiles"),
    );
  server = await start(false);
  const corpus = await createContent(server.origin, members, sizes);
  // The indexer in this process for the time it takes to index the corpus, then nothing else
  // runs beside the app while it is measured.
  const { startBackgroundJobs } = await import("../scripts/background");
  const jobs = await startBackgroundJobs({ force: true });
  await waitForIndexing(bench.databaseUrl);
  for (const job of jobs) await job.close();
  await closeDatabase();
  const postgres = await postgresPid(bench.databaseUrl);
  const member = members[1]!;

  const measureAll = async (who: "anonymous" | "member", processes: CpuProcesses) => {
    const headers: Record<string, string> = who === "member" ? { cookie: member.cookie } : {};
    const asBrowser = { "accept-encoding": BROWSER_ENCODING, ...headers };
    // A fresh process compiles as it goes: every page a few times before anything is measured.
    for (let round = 0; round < WARM_UP; round += 1) {
      for (const family of pageFamilies(corpus)) {
        await getOk(`${server!.origin}${family.path}`, asBrowser);
      }
    }
    const rows = [];
    for (const family of pageFamilies(corpus)) {
      log(`  ${family.label} (${who === "member" ? "membre" : "anonyme"})…`);
      const measure = await measurePage(`${server!.origin}${family.path}`, {
        processes,
        seconds: SECONDS,
        connections: CONNECTIONS,
        headers,
      });
      rows.push({ family, measure });
    }
    return rows;
  };

  log("Sans cache de pages…");
  const meilisearch = await bench.meilisearchPid();
  let processes: CpuProcesses = { app: [server.pid], postgres, meilisearch };
  const rendered = {
    anonymous: await measureAll("anonymous", processes),
    member: await measureAll("member", processes),
  };
  await server.stop();
  log("Avec le cache de pages…");
  server = await start(true);
  processes = { app: [server.pid], postgres, meilisearch };
  const cached = await measureAll("anonymous", processes);
  await server.stop();
  server = undefined;

  const rows = rendered.anonymous.flatMap(({ family, measure }, i) => [
    pageRow(`${family.label} — anonyme, rendue`, measure),
    pageRow(`${family.label} — anonyme, cache actif`, cached[i]!.measure),
    pageRow(`${family.label} — membre`, rendered.member[i]!.measure),
  ]);
  printTable(
    `CPU par page (${CONNECTIONS} connexions, ${SECONDS} s par ligne, Accept-Encoding d'un navigateur)`,
    rows,
  );
  const find = (name: string) => rendered.anonymous.findIndex(({ family }) => family.name === name);
  const topicIndex = find("topic");
  const floorIndex = find("floor");
  if (topicIndex >= 0) {
    const total = (m: { cpu: { app: number; postgres: number; meilisearch: number } }) =>
      m.cpu.app + m.cpu.postgres + m.cpu.meilisearch;
    const anonymous = total(cached[topicIndex]!.measure);
    const signedIn = total(rendered.member[topicIndex]!.measure);
    printTable("Objectifs (sujet de 30 messages)", [
      {
        objectif: "anonyme, en cache : ≤ 1 ms CPU app + PostgreSQL",
        mesure: `${anonymous.toFixed(2)} ms (${cached[topicIndex]!.measure.cache})`,
        résultat: anonymous <= 1 ? "atteint" : "MANQUÉ",
      },
      {
        objectif: "membre : ≤ 5 ms CPU app + PostgreSQL",
        mesure: `${signedIn.toFixed(2)} ms`,
        résultat: signedIn <= 5 ? "atteint" : "MANQUÉ",
      },
      // What the topic adds to an empty page for the same member, measured in the same run: the
      // part of the cost that is the page's own, less sensitive to the machine than the total.
      ...(floorIndex >= 0
        ? [
            {
              objectif: "membre, au-delà du plancher membre (information)",
              mesure: `${(signedIn - total(rendered.member[floorIndex]!.measure)).toFixed(2)} ms`,
              résultat: "—",
            },
          ]
        : []),
    ]);
  }
} finally {
  await server?.stop();
  await bench.stop();
}
process.exit(0);
