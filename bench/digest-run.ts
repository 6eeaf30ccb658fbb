/**
 * The measured part of `npm run bench:digest`, in its own process as the mail worker would be:
 * builds and queues the weekly résumés of the period `BENCH_PERIOD_START`–`BENCH_PERIOD_END`
 * over the database of `DATABASE_URL`, sampling its own memory, and prints one JSON line.
 */
import { runDigestBatch } from "../app/models/mail-digests.server";
import { closeDatabase } from "../db/client";

const period = {
  frequency: "weekly" as const,
  key: "banc",
  start: new Date(process.env.BENCH_PERIOD_START!),
  end: new Date(process.env.BENCH_PERIOD_END!),
};

(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage();
let peakRss = before.rss;
let peakHeap = before.heapUsed;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  peakRss = Math.max(peakRss, now.rss);
  peakHeap = Math.max(peakHeap, now.heapUsed);
}, 20);
const began = performance.now();
let queued = 0;
for (;;) {
  const batch = await runDigestBatch(period);
  queued += batch.queued;
  if (batch.state === "done") break;
}
const seconds = (performance.now() - began) / 1000;
clearInterval(sampler);
await closeDatabase();
console.log(JSON.stringify({ queued, seconds, before, peakRss, peakHeap }));
