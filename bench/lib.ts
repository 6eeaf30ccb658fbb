import { execFileSync, spawn } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

import autocannon from "autocannon";
import postgres from "postgres";

import { freePort } from "../scripts/ports";
import { startServices } from "../scripts/services";

/**
 * Throw-away services for a benchmark: embedded PostgreSQL and Meilisearch with data in a
 * temporary folder, migrated (and the official directory imported unless told otherwise), their
 * settings in process.env and in `env` for the app processes the benchmark starts.
 */
export async function startBenchServices(
  name: string,
  options: { env?: Record<string, string>; importCollectivities?: boolean } = {},
) {
  const dataDir = await mkdtemp(path.join(tmpdir(), `territoires-bench-${name}-`));
  await chmod(dataDir, 0o755);
  const services = await startServices({
    dataDir,
    ephemeral: true,
    env: { PATH: process.env.PATH, MEILI_BIN: process.env.MEILI_BIN },
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...services.env,
    NODE_ENV: "production",
    LOG_LEVEL: "silent",
    RATE_LIMITS: "false",
    ...options.env,
  };
  Object.assign(process.env, env);
  const stop = async () => {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const { runMigrations } = await import("../db/migrate");
    await runMigrations(services.env.DATABASE_URL);
    let importSeconds: number | undefined;
    if (options.importCollectivities !== false) {
      process.stderr.write("Import de l'annuaire…\n");
      const { db } = await import("../db/client");
      const { importCollectivities } = await import("../db/collectivities-import");
      importSeconds = (await importCollectivities(db)).seconds;
    }
    return {
      dataDir,
      env,
      databaseUrl: services.env.DATABASE_URL,
      importSeconds,
      /** Meilisearch's process, for its CPU time. */
      meilisearchPid: async () =>
        Number(await readFile(path.join(dataDir, "meili", "meilisearch.pid"), "utf8")),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The same services, and the app listening in this process on a free loopback port (unless `app`
 * is false, for benchmarks of background work).
 */
export async function startBenchEnvironment(
  options: { importCollectivities?: boolean; app?: boolean } = {},
) {
  const bench = await startBenchServices("app", options);
  const port = await freePort();
  Object.assign(process.env, {
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_ORIGIN: `http://127.0.0.1:${port}`,
  });
  const app = options.app === false ? null : await (await import("../server")).createApp();
  await app?.listen(port, "127.0.0.1");
  return {
    origin: `http://127.0.0.1:${port}`,
    importSeconds: bench.importSeconds,
    close: async () => {
      if (app) await app.close();
      else await (await import("../db/client")).closeDatabase();
      await bench.stop();
    },
  };
}

export type ServerProcess = {
  origin: string;
  pid: number;
  /** SIGTERM, then waits for the exit. */
  stop: () => Promise<void>;
  /** SIGKILL, as in a crash or an OOM kill. */
  kill: () => Promise<void>;
};

/**
 * Runs a server script (`bench/app-server.ts`, `bench/bare-socket-server.ts`) in its own process
 * on a free loopback port, and resolves once it prints `ready`. With BENCH_PROFILE set, the
 * process writes a CPU profile into `profileDir` when it stops.
 */
export async function startServerProcess(
  script: string,
  env: NodeJS.ProcessEnv,
  profileDir: string,
  options: { publicOrigin?: string } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  // Behind a proxy, the public origin (CSRF and socket checks) is the proxy's.
  const appOrigin = options.publicOrigin ?? origin;
  const child = spawn(process.execPath, [...profile, "--import", "tsx", script], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1", APP_ORIGIN: appOrigin },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} s'est arrêté (${String(code)})`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("ready")) resolve();
    });
  });
  const end = (signal: NodeJS.Signals) => {
    child.kill(signal);
    return exited;
  };
  return { origin, pid: child.pid!, stop: () => end("SIGTERM"), kill: () => end("SIGKILL") };
}

export type Stats = {
  count: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
};

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Runs `task` `total` times with `concurrency` workers and returns exact latency percentiles
 * (milliseconds). A task that throws counts as an error.
 */
export async function measure(
  concurrency: number,
  total: number,
  task: (i: number) => Promise<void>,
): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        try {
          await task(i);
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: total,
    seconds,
    rps: total / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    errors,
  };
}

/**
 * Load with autocannon (a lighter client than fetch, so the machine's two cores go to the app):
 * `connections` clients cycle through `paths` until `amount` requests are done; latencies of every
 * response are kept for exact percentiles.
 */
export async function loadPaths(
  origin: string,
  paths: string[],
  options: { connections: number; amount: number },
): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections: options.connections,
        amount: options.amount,
        requests: paths.map((path) => ({ method: "GET" as const, path })),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else errors += 1;
    });
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length + errors,
    seconds,
    rps: (latencies.length + errors) / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    errors: errors + result.errors,
  };
}

// ——— CPU time from /proc ———

const TICK_MS = 1000 / (Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" })) || 100);

type ProcStat = { pid: number; ppid: number; own: number; children: number };

async function readStat(pid: number): Promise<ProcStat | null> {
  try {
    // The command name may hold spaces and parentheses: fields start after the last ")".
    const text = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      pid,
      ppid: Number(fields[1]),
      // utime + stime, then cutime + cstime (children that exited and were waited for).
      own: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
      children: (Number(fields[13]) + Number(fields[14])) * TICK_MS,
    };
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds used so far by a process and all its descendants: the live ones, and through
 * cutime/cstime those already gone (a PostgreSQL backend ends with its connection, and the
 * postmaster then counts its time among its children's).
 */
export async function processTreeCpu(rootPid: number): Promise<number> {
  const stats = await Promise.all(
    (await readdir("/proc"))
      .filter((name) => /^\d+$/.test(name))
      .map((name) => readStat(Number(name))),
  );
  const byParent = new Map<number, ProcStat[]>();
  let root: ProcStat | undefined;
  for (const stat of stats) {
    if (!stat) continue;
    if (stat.pid === rootPid) root = stat;
    const siblings = byParent.get(stat.ppid) ?? [];
    siblings.push(stat);
    byParent.set(stat.ppid, siblings);
  }
  if (!root) throw new Error(`processus ${rootPid} introuvable`);
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const stat = pending.pop()!;
    total += stat.own + stat.children;
    pending.push(...(byParent.get(stat.pid) ?? []));
  }
  return total;
}

/** The postmaster of the PostgreSQL behind `databaseUrl` (on this machine): a backend's parent. */
export async function postgresPid(databaseUrl: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
    const backend = await readStat(row!.pid);
    if (!backend) throw new Error("PostgreSQL ne tourne pas sur cette machine");
    return backend.ppid;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The processes whose CPU a page costs: the app server, PostgreSQL, and Meilisearch if known. */
export type CpuProcesses = { app: number[]; postgres: number; meilisearch?: number };

export async function cpuSnapshot(processes: CpuProcesses) {
  const app = await Promise.all(processes.app.map(processTreeCpu));
  return {
    app: app.reduce((sum, value) => sum + value, 0),
    postgres: await processTreeCpu(processes.postgres),
    meilisearch: processes.meilisearch ? await processTreeCpu(processes.meilisearch) : 0,
  };
}

/** A browser's Accept-Encoding (Chromium's), so that compression is part of the cost. */
export const BROWSER_ENCODING = "gzip, deflate, br, zstd";

export type PageMeasure = Stats & {
  /** CPU milliseconds per request, by process, during the run. */
  cpu: { app: number; postgres: number; meilisearch: number };
  /** `hit` or `miss` from the page cache, as a last request saw it (`—` when not cached). */
  cache: string;
};

/**
 * The one measure of a page, shared by bench:pages and bench:realtime: autocannon keeps
 * `connections` requests in flight for `seconds`, and the CPU the app, PostgreSQL (all backends)
 * and Meilisearch spent meanwhile is divided by the number of responses. Unlike latency, that
 * figure does not depend much on what else the machine is doing.
 */
export async function measurePage(
  url: string,
  options: {
    processes: CpuProcesses;
    seconds: number;
    connections: number;
    headers?: Record<string, string>;
  },
): Promise<PageMeasure> {
  const headers = { "accept-encoding": BROWSER_ENCODING, ...options.headers };
  const probe = await fetch(url, { headers, redirect: "manual" });
  await probe.arrayBuffer();
  if (probe.status !== 200) throw new Error(`${url} : HTTP ${probe.status}`);
  // As many requests at once as the measure will keep in flight, a few times: the database pool
  // opens its connections (authentication, fresh catalog caches, first plans) now, not during
  // the measure, where that one-off cost was spread over its few hundred requests.
  for (let round = 0; round < 3; round += 1) {
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        const response = await fetch(url, { headers, redirect: "manual" });
        await response.arrayBuffer();
      }),
    );
  }
  const latencies: number[] = [];
  let errors = 0;
  const before = await cpuSnapshot(options.processes);
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections: options.connections, duration: options.seconds, headers },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latencies.push(responseTime);
      else errors += 1;
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const after = await cpuSnapshot(options.processes);
  const last = await fetch(url, { headers, redirect: "manual" });
  await last.arrayBuffer();
  latencies.sort((a, b) => a - b);
  const count = latencies.length + errors;
  const perRequest = (spent: number) => spent / Math.max(1, count);
  return {
    count,
    seconds,
    rps: count / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    errors: errors + result.errors + result.timeouts,
    cpu: {
      app: perRequest(after.app - before.app),
      postgres: perRequest(after.postgres - before.postgres),
      meilisearch: perRequest(after.meilisearch - before.meilisearch),
    },
    cache: last.headers.get("x-page-cache") ?? "—",
  };
}

/** A row of the page tables of bench:pages and bench:realtime. */
export function pageRow(label: string, measure: PageMeasure) {
  const { app, postgres: pg, meilisearch } = measure.cpu;
  return {
    page: label,
    "req/s": measure.rps.toFixed(0),
    "p50 (ms)": ms(measure.p50),
    "p99 (ms)": ms(measure.p99),
    "CPU app (ms/req)": app.toFixed(2),
    "CPU PostgreSQL": pg.toFixed(2),
    "CPU Meilisearch": meilisearch.toFixed(2),
    "CPU total": (app + pg + meilisearch).toFixed(2),
    cache: measure.cache,
    erreurs: measure.errors,
  };
}

/** Waits until the search outbox is drained, so that indexing does not weigh on the figures. */
export async function waitForIndexing(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (let waited = 0; waited < 120_000; waited += 250) {
      const [row] = await sql<Array<{ left: number }>>`
        select count(*)::int as left from outbox where processed_at is null`;
      if (row!.left === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error("l'indexation n'a pas fini en 2 minutes");
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** GET a URL and fail unless it answers 2xx (the body is read, as a client would). */
export async function getOk(url: string, headers?: Record<string, string>) {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

export const ms = (value: number) => value.toFixed(1);

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: Array<Record<string, string | number>>) {
  const columns = Object.keys(rows[0] ?? {});
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? "")));
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...cells.map((row) => row[i]!.length)),
  );
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i]!)).join("  ");
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of cells) console.log(line(row));
}

/** Latencies (ms) and errors of closed-loop rounds, summed over the rounds of one side. */
export type Sample = { latencies: number[]; errors: number; seconds: number };

export const emptySample = (): Sample => ({ latencies: [], errors: 0, seconds: 0 });

/** `clients` loops sending requests back to back for `seconds`; adds their latencies to `into`. */
export async function closedLoopRound(
  clients: number,
  send: (index: number) => Promise<Response>,
  seconds: number,
  into: Sample,
) {
  let counter = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        const index = counter++;
        const started = performance.now();
        const response = await send(index);
        await response.arrayBuffer();
        into.latencies.push(performance.now() - started);
        if (!response.ok) into.errors += 1;
      }
    }),
  );
  into.seconds += seconds;
}

export function sampleSummary(sample: Sample) {
  const sorted = [...sample.latencies].sort((a, b) => a - b);
  return {
    rps: sorted.length / sample.seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    errors: sample.errors,
  };
}
