/**
 * `npm run bench:load`: the whole app at a fixed arrival rate (open loop, bench/open-loop.ts),
 * as it would be deployed: two app instances (SEARCH_INDEXER=false) behind nginx running
 * scripts/deploy/nginx.conf, the indexer in its own process (`npm run worker`), 1,000 socket.io
 * clients connected through the proxy and spread over the topics. The mix is in bench/load-mix.ts.
 * Phases: 60 req/s for 5 minutes, a 150 req/s burst for 30 s, then higher and higher rates until
 * p99 reaches 300 ms. Then: every write visible, every reply received by every client of its
 * topic, and how long after its response each written item showed on each instance.
 * Options: BENCH_SUSTAIN_RATE (60), BENCH_SUSTAIN_SECONDS (300), BENCH_BURST_RATE (150),
 * BENCH_BURST_SECONDS (30), BENCH_SEARCH_SECONDS (30 per step; 0 skips the search),
 * BENCH_SEARCH_MAX (600 req/s), BENCH_WARM_UP_SECONDS (10), BENCH_SOCKETS (1000), BENCH_LATE_MS
 * (10), corpus sizes BENCH_MEMBERS (200), BENCH_INITIATIVES (300), BENCH_TOPICS (20),
 * BENCH_EVENTS (30). A short run: BENCH_SUSTAIN_SECONDS=10 BENCH_BURST_SECONDS=5
 * BENCH_SEARCH_SECONDS=0 BENCH_SOCKETS=100 BENCH_MEMBERS=30 BENCH_INITIATIVES=30
 * BENCH_TOPICS=4 BENCH_EVENTS=4.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

import { freePort } from "../scripts/ports";
import { corpusSizes, createContent, createMembers } from "./corpus";
import {
  ms,
  percentile,
  postgresPid,
  printTable,
  processTreeCpu,
  startBenchServices,
  startServerProcess,
  waitForIndexing,
  type ServerProcess,
} from "./lib";
import {
  createMix,
  missingDeliveries,
  openSockets,
  readUntilVisible,
  type Visibility,
  type WriteRecord,
} from "./load-mix";
import { startProxy, type Proxy } from "./nginx";
import { runOpenLoop, type OpenLoopReport } from "./open-loop";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SUSTAIN_RATE = env("BENCH_SUSTAIN_RATE", 60);
const SUSTAIN_SECONDS = env("BENCH_SUSTAIN_SECONDS", 300);
const BURST_RATE = env("BENCH_BURST_RATE", 150);
const BURST_SECONDS = env("BENCH_BURST_SECONDS", 30);
const SEARCH_SECONDS = env("BENCH_SEARCH_SECONDS", 30);
const SEARCH_MAX = env("BENCH_SEARCH_MAX", 600);
const WARM_UP_SECONDS = env("BENCH_WARM_UP_SECONDS", 10);
const SOCKETS = env("BENCH_SOCKETS", 1000);
const LATE_MS = env("BENCH_LATE_MS", 10);
const log = (line: string) => process.stderr.write(`${line}\n`);

const bench = await startBenchServices("load", {
  env: { SEARCH_INDEXER: "false", TRUST_PROXY: "true" },
});
const stops: Array<() => Promise<void>> = [];

try {
  const { closeDatabase } = await import("../db/client");
  const sizes = corpusSizes({
    members: 200,
    initiatives: 300,
    topics: 20,
    postsPerTopic: 30,
    events: 30,
    // Registrations are the load's own writes; every one is confirmed, so shown.
    registrationsPerEvent: 0,
    eventCapacity: 100_000,
  });
  const members = await createMembers(sizes.members);
  await closeDatabase();

  // ——— Two instances, the worker, nginx ———
  const proxyPort = await freePort();
  const publicOrigin = `http://127.0.0.1:${proxyPort}`;
  const instances: ServerProcess[] = [];
  for (let i = 0; i < 2; i += 1) {
    const instance = await startServerProcess(
      "bench/app-server.ts",
      bench.env,
      path.join(bench.dataDir, "profiles"),
      { publicOrigin },
    );
    instances.push(instance);
    stops.push(() => instance.stop());
  }
  const worker = await startWorker(bench.env);
  stops.push(worker.stop);
  const upstreams = instances.map((instance) => new URL(instance.origin).host);
  const proxy: Proxy = await startProxy(upstreams, path.join(bench.dataDir, "nginx"), proxyPort);
  stops.unshift(() => proxy.stop());
  const originOf = new Map(
    instances.map((instance) => [new URL(instance.origin).host, instance.origin]),
  );

  log("Contenu (par l'API)…");
  const corpus = await createContent(instances[0]!.origin, members, sizes);
  await waitForIndexing(bench.databaseUrl);
  log(`${SOCKETS} clients socket.io par nginx…`);
  const clients = await openSockets(publicOrigin, corpus, SOCKETS);
  stops.unshift(async () => clients.close());

  // ——— The load ———
  const writes: WriteRecord[] = [];
  const checks: Array<Promise<Visibility[]>> = [];
  const check = (record: WriteRecord) => {
    writes.push(record);
    const writer = record.writer ? originOf.get(record.writer) : undefined;
    const other = instances.map((i) => i.origin).find((origin) => origin !== writer);
    if (!writer || !other) return;
    checks.push(
      Promise.all([
        readUntilVisible(writer, record, "writer"),
        readUntilVisible(other, record, "other"),
      ]),
    );
  };
  const next = createMix(corpus, publicOrigin, check);
  const postgres = await postgresPid(bench.databaseUrl);
  const meilisearch = await bench.meilisearchPid();
  const groups = {
    app: instances.map((i) => i.pid),
    PostgreSQL: [postgres],
    Meilisearch: [meilisearch],
    worker: [worker.pid],
    nginx: [proxy.pid],
  };
  const cpuNow = async () => {
    const entries = await Promise.all(
      Object.entries(groups).map(async ([name, pids]) => {
        const values = await Promise.all(pids.map(processTreeCpu));
        return [name, values.reduce((sum, value) => sum + value, 0)] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<keyof typeof groups, number>;
  };
  const phase = async (label: string, rate: number, seconds: number) => {
    log(`${label} : ${rate} req/s pendant ${seconds} s…`);
    const before = await cpuNow();
    const report = await runOpenLoop({
      origin: publicOrigin,
      rate,
      seconds,
      next,
      lateMs: LATE_MS,
    });
    const after = await cpuNow();
    const cpu = Object.fromEntries(
      Object.keys(groups).map((name) => {
        const key = name as keyof typeof groups;
        return [name, (after[key] - before[key]) / Math.max(1, report.sent)];
      }),
    );
    return { label, report, cpu };
  };

  // Never above the measured rate: a backlog left by the warm-up would weigh on the first phase.
  if (WARM_UP_SECONDS > 0) {
    await phase("Échauffement", Math.min(20, SUSTAIN_RATE / 2), WARM_UP_SECONDS);
  }
  const phases = [await phase("Soutenu", SUSTAIN_RATE, SUSTAIN_SECONDS)];
  if (BURST_SECONDS > 0) phases.push(await phase("Pointe", BURST_RATE, BURST_SECONDS));
  let highest: { rate: number; p99: number } | null = null;
  if (SEARCH_SECONDS > 0) {
    for (let rate = SUSTAIN_RATE; rate <= SEARCH_MAX; rate = Math.round(rate * 1.25)) {
      const step = await phase("Recherche du débit tenu", rate, SEARCH_SECONDS);
      phases.push(step);
      if (!holds(step.report)) break;
      highest = { rate, p99: step.report.total.p99 };
    }
  }

  // ——— Checks ———
  log("Vérifications…");
  const visibility = (await Promise.all(checks)).flat();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const deliveries = missingDeliveries(clients, writes);
  const lostAfterwards = await invisibleAtTheEnd(publicOrigin, writes);

  for (const { label, report, cpu } of phases) printPhase(label, report, cpu);
  printVisibility(visibility);
  const sustained = phases[0]!.report;
  const burst = phases.find((p) => p.label === "Pointe")?.report;
  const loaders = sustained.families.filter((f) => !f.family.startsWith("write:"));
  const actions = sustained.families.filter((f) => f.family.startsWith("write:"));
  const worst = (list: typeof loaders) => Math.max(0, ...list.map((f) => f.p95));
  const errorRate = sustained.total.errors / Math.max(1, sustained.total.count);
  const writerStale = visibility.filter((v) => v.where === "writer" && v.staleReads > 0).length;
  const otherLate = visibility.filter(
    (v) => v.where === "other" && (v.delay === null || v.delay > 100),
  ).length;
  printTable("Objectifs", [
    target(
      `${SUSTAIN_RATE} req/s : p95 des pages et lectures < 300 ms (pire famille)`,
      `${ms(worst(loaders))} ms`,
      worst(loaders) < 300,
    ),
    target(
      `${SUSTAIN_RATE} req/s : p95 des écritures < 800 ms (pire famille)`,
      `${ms(worst(actions))} ms`,
      worst(actions) < 800,
    ),
    target(
      `${SUSTAIN_RATE} req/s : erreurs < 0,1 %`,
      `${(errorRate * 100).toFixed(3)} %`,
      errorRate < 0.001,
    ),
    target(
      `pointe ${BURST_RATE} req/s sans erreur`,
      burst ? `${burst.total.errors} erreurs` : "non mesurée",
      burst?.total.errors === 0,
    ),
    target(
      "débit le plus haut tenu avec p99 < 300 ms",
      highest ? `${highest.rate} req/s (p99 ${ms(highest.p99)} ms)` : "non mesuré",
      highest !== null,
    ),
    target(
      "toute écriture visible ensuite",
      `${writes.length - lostAfterwards} / ${writes.length}`,
      lostAfterwards === 0,
    ),
    target(
      "chaque client reçoit chaque réponse de son sujet",
      `${deliveries.expected - deliveries.missing} / ${deliveries.expected}, ${clients.disconnected()} déconnexions`,
      deliveries.missing === 0 && clients.disconnected() === 0,
    ),
    target("0 lecture périmée sur l'instance qui a écrit", `${writerStale}`, writerStale === 0),
    target("autre instance : visible en ≤ 100 ms", `${otherLate} au-delà`, otherLate === 0),
  ]);
} finally {
  for (const stop of stops) await stop().catch(() => {});
  await bench.stop();
}
process.exit(0);

/** A step of the search holds when p99 < 300 ms, errors < 0.1 % and almost nothing starts late. */
function holds(report: OpenLoopReport) {
  const { count, errors, late, p99 } = report.total;
  return p99 < 300 && errors <= count * 0.001 && late <= count * 0.01;
}

function target(objectif: string, mesure: string, met: boolean) {
  return { objectif, mesure, résultat: met ? "atteint" : "MANQUÉ" };
}

function printPhase(label: string, report: OpenLoopReport, cpu: Record<string, number>) {
  printTable(
    `${label} : ${report.rate} req/s pendant ${report.seconds} s (${report.sent} requêtes ; décalage de tir max ${ms(report.maxFiringLag)} ms)`,
    [...report.families, report.total].map((f) => ({
      famille: f.family,
      requêtes: f.count,
      erreurs: f.errors,
      [`parties en retard (> ${LATE_MS} ms)`]: f.late,
      "p50 (ms)": ms(f.p50),
      "p95 (ms)": ms(f.p95),
      "p99 (ms)": ms(f.p99),
      "max (ms)": ms(f.max),
    })),
  );
  log(
    `  CPU par requête (ms) : ${Object.entries(cpu)
      .map(([name, value]) => `${name} ${value.toFixed(2)}`)
      .join(", ")}`,
  );
  for (const sample of report.errorSamples) log(`  erreur : ${sample}`);
}

function printVisibility(visibility: Visibility[]) {
  const rows = (["writer", "other"] as const).flatMap((where) =>
    (["reply", "registration", "edit"] as const).map((kind) => {
      const list = visibility.filter((v) => v.where === where && v.kind === kind);
      const delays = list.flatMap((v) => (v.delay === null ? [] : [v.delay])).sort((a, b) => a - b);
      const within = (limit: number) => delays.filter((d) => d > 0 && d <= limit).length;
      return {
        instance: where === "writer" ? "celle qui a écrit" : "l'autre",
        écriture: kind,
        lectures: list.length,
        "lectures périmées": list.reduce((sum, v) => sum + v.staleReads, 0),
        "visible à la 1re lecture": delays.filter((d) => d === 0).length,
        "≤ 10 ms": within(10),
        "≤ 100 ms": within(100) - within(10),
        "≤ 1 s": within(1000) - within(100),
        "> 1 s": delays.filter((d) => d > 1000).length,
        jamais: list.filter((v) => v.delay === null).length,
        "p99 (ms)": ms(percentile(delays, 99)),
      };
    }),
  );
  printTable(
    "Délai entre la réponse d'une écriture et sa lecture anonyme sur chaque instance",
    rows,
  );
}

/** Writes that no longer show at the end (an edit counts only if it is its item's last one). */
async function invisibleAtTheEnd(origin: string, writes: WriteRecord[]) {
  const lastEdit = new Map<string, WriteRecord>();
  for (const w of writes) if (w.kind === "edit") lastEdit.set(w.initiativeId!, w);
  let invisible = 0;
  for (const w of writes) {
    if (w.kind === "edit" && lastEdit.get(w.initiativeId!) !== w) continue;
    const response = await fetch(`${origin}${w.path}`);
    if (!(await response.text()).includes(w.marker)) invisible += 1;
  }
  return invisible;
}

/** `npm run worker`, as deployed: the indexer in a process of its own. */
async function startWorker(workerEnv: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: workerEnv,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`le worker s'est arrêté (${String(code)})`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("Indexeur")) resolve();
    });
  });
  return {
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
