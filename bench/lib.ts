import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

import autocannon from "autocannon";

import { freePort } from "../scripts/ports";
import { startServices } from "../scripts/services";

/**
 * A throw-away environment for a benchmark: embedded PostgreSQL and Meilisearch with data in a
 * temporary folder, migrated, and the app listening on a free loopback port (unless `app` is
 * false, for benchmarks of background work).
 */
export async function startBenchEnvironment(
  options: { importCollectivities?: boolean; app?: boolean } = {},
) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "territoires-bench-"));
  await chmod(dataDir, 0o755);
  const services = await startServices({
    dataDir,
    ephemeral: true,
    env: { PATH: process.env.PATH, MEILI_BIN: process.env.MEILI_BIN },
  });
  const port = await freePort();
  Object.assign(process.env, services.env, {
    NODE_ENV: "production",
    LOG_LEVEL: "silent",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_ORIGIN: `http://127.0.0.1:${port}`,
    RATE_LIMITS: "false",
  });
  const { runMigrations } = await import("../db/migrate");
  await runMigrations(services.env.DATABASE_URL);
  let importSeconds: number | undefined;
  if (options.importCollectivities !== false) {
    const { db } = await import("../db/client");
    const { importCollectivities } = await import("../db/collectivities-import");
    importSeconds = (await importCollectivities(db)).seconds;
  }
  const app = options.app === false ? null : await (await import("../server")).createApp();
  await app?.listen(port, "127.0.0.1");
  return {
    origin: `http://127.0.0.1:${port}`,
    importSeconds,
    close: async () => {
      if (app) await app.close();
      else await (await import("../db/client")).closeDatabase();
      await services.stop();
      await rm(dataDir, { recursive: true, force: true });
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
): Promise<ServerProcess> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", script], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1", APP_ORIGIN: origin },
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
