/**
 * An open-loop load generator: request i starts at t0 + i / rate whether or not earlier ones have
 * finished, and its latency runs from that scheduled instant, so a server that falls behind shows
 * it in the figures instead of silently receiving less (coordinated omission). A request that
 * cannot even get a socket within `lateMs` of its instant (every socket busy, or this process too
 * slow to fire it) is counted as late. node:http with one keep-alive agent; bodies are read in
 * full, as a browser would.
 */
import http from "node:http";

import { percentile } from "./lib";

export type PlannedRequest = {
  /** The family the figures are reported under ("topic", "write:reply"…). */
  family: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Statuses that count as success (default: 2xx and 3xx). */
  ok?: (status: number) => boolean;
  /** Called with the response once read in full, `at` the performance.now() of its end. */
  onResponse?: (response: {
    status: number;
    body: string;
    headers: http.IncomingHttpHeaders;
    at: number;
  }) => void;
};

export type FamilyFigures = {
  family: string;
  count: number;
  errors: number;
  late: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
};

export type OpenLoopReport = {
  rate: number;
  seconds: number;
  sent: number;
  families: FamilyFigures[];
  total: FamilyFigures;
  /** The latest this process fired a request after its instant (ms): above a few ms, the
   * generator itself was short of CPU and the figures are pessimistic. */
  maxFiringLag: number;
  errorSamples: string[];
};

type Sample = { family: string; latency: number; error: string | null; late: boolean };

export async function runOpenLoop(options: {
  origin: string;
  rate: number;
  seconds: number;
  next: (index: number) => PlannedRequest;
  maxSockets?: number;
  lateMs?: number;
  timeoutMs?: number;
}): Promise<OpenLoopReport> {
  const { hostname, port } = new URL(options.origin);
  const maxSockets = options.maxSockets ?? 512;
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const lateMs = options.lateMs ?? 10;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const interval = 1000 / options.rate;
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  let maxFiringLag = 0;

  const fire = (index: number, scheduled: number) => {
    const planned = options.next(index);
    maxFiringLag = Math.max(maxFiringLag, performance.now() - scheduled);
    const done = new Promise<void>((resolve) => {
      let late = false;
      const finish = (error: string | null) => {
        samples.push({
          family: planned.family,
          latency: performance.now() - scheduled,
          error,
          late,
        });
        resolve();
      };
      const request = http.request(
        {
          agent,
          hostname,
          port,
          method: planned.method ?? "GET",
          path: planned.path,
          headers: {
            ...(planned.body !== undefined
              ? { "content-length": Buffer.byteLength(planned.body) }
              : {}),
            ...planned.headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (error) => finish(error.message));
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            const body = Buffer.concat(chunks).toString("utf8");
            const ok = planned.ok ?? ((code: number) => code >= 200 && code < 400);
            try {
              planned.onResponse?.({
                status,
                body,
                headers: response.headers,
                at: performance.now(),
              });
            } catch (error) {
              return finish(error instanceof Error ? error.message : String(error));
            }
            finish(ok(status) ? null : `${planned.family} ${planned.path} : HTTP ${status}`);
          });
        },
      );
      request.once("socket", () => {
        late = performance.now() - scheduled > lateMs;
      });
      request.setTimeout(timeoutMs, () =>
        request.destroy(new Error(`délai de ${timeoutMs} ms dépassé`)),
      );
      request.on("error", (error) =>
        finish(`${planned.family} ${planned.path} : ${error.message}`),
      );
      request.end(planned.body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const started = performance.now() + 20;
  await new Promise<void>((resolve) => {
    let index = 0;
    const tick = () => {
      const now = performance.now();
      while (index < total && started + index * interval <= now) {
        fire(index, started + index * interval);
        index += 1;
      }
      if (index < total) {
        setTimeout(tick, Math.max(0, started + index * interval - performance.now()));
      } else resolve();
    };
    setTimeout(tick, 20);
  });
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  agent.destroy();

  const figures = (family: string, subset: Sample[]): FamilyFigures => {
    const latencies = subset.map((sample) => sample.latency).sort((a, b) => a - b);
    return {
      family,
      count: subset.length,
      errors: subset.filter((sample) => sample.error).length,
      late: subset.filter((sample) => sample.late).length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    };
  };
  const names = [...new Set(samples.map((sample) => sample.family))].sort();
  return {
    rate: options.rate,
    seconds: options.seconds,
    sent: samples.length,
    families: names.map((name) =>
      figures(
        name,
        samples.filter((sample) => sample.family === name),
      ),
    ),
    total: figures("total", samples),
    maxFiringLag,
    errorSamples: [
      ...new Set(samples.flatMap((sample) => (sample.error ? [sample.error] : []))),
    ].slice(0, 10),
  };
}
