import { runAlertMatching } from "../app/models/alerts.server";
import { logger } from "../app/utils/logger.server";
import type { BackgroundJob } from "./background";

const EVERY_MS = 5 * 60_000;

/**
 * The alerts' background run, every few minutes: what was published meanwhile is matched against
 * every alert and grouped into one notification per person and day. Several instances may run
 * it: a PostgreSQL advisory lock lets one of them work at a time.
 */
export function startAlertRuns(everyMs = EVERY_MS): BackgroundJob {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = runAlertMatching().catch((error: unknown) =>
      logger().warn(
        { err: error instanceof Error ? error.message : String(error) },
        "alertes : passage reporté",
      ),
    );
  };
  const timer = setInterval(() => {
    if (!stopped) run();
  }, everyMs);
  run();
  return {
    close: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
