import { sqlClient } from "../../db/client";
import { getConfig } from "../config.server";
import { runDigests } from "../models/mail-digests.server";
import { enqueueEventReminders } from "../models/mail-event-reminders.server";
import { enqueueLabelReminders } from "../models/mail-label-reminders.server";
import { processMailBatch, pruneMailOutbox } from "../models/mail-outbox.server";
import { processPasswordResetRequests } from "../models/password-resets.server";
import { logger } from "../utils/logger.server";
import { createMailTransport } from "./transport.server";

/**
 * Raised by triggers on `mail_outbox` and `password_reset_requests` when a transaction that
 * queued mail (or a reset request) commits.
 */
export const MAIL_CHANNEL = "mail_outbox";

type Loop = { close: () => Promise<void>; runNow: () => Promise<void> };

/**
 * Runs `work` every `intervalMs`, and at once when `wake` is called; a wake during a run makes
 * it run again right after. `close()` waits for the current run.
 */
function repeat(work: () => Promise<void>, intervalMs: number): Loop & { wake: () => void } {
  let stopped = false;
  let busy = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const start = () => {
    busy = true;
    current = work().finally(() => {
      busy = false;
      if (stopped) return;
      if (again) {
        again = false;
        start();
      } else timer = setTimeout(start, intervalMs);
    });
  };
  const wake = () => {
    if (stopped) return;
    if (busy) again = true;
    else {
      clearTimeout(timer);
      start();
    }
  };
  start();
  return {
    wake,
    runNow: async () => {
      await current;
      await work();
    },
    close: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}

export type MailJobs = {
  close: () => Promise<void>;
  /** Sends everything due now (tests, benchmarks). */
  drain: () => Promise<void>;
  /** Runs the digests and reminders due now. */
  schedule: () => Promise<void>;
};

/**
 * The mail worker: the sender (woken by NOTIFY when mail is queued, polling for retries) and the
 * scheduler of résumés and reminders of events and label deadlines (every minute). Safe to run
 * in several processes: rows and digest runs are claimed with SKIP LOCKED.
 */
export function startMailJobs(
  options: { intervalMs?: number; scheduleMs?: number; retryBaseMs?: number } = {},
): MailJobs {
  const transport = createMailTransport(getConfig().mail);
  let lastWarning = 0;
  const warn = (error: unknown, message: string) => {
    // SMTP or PostgreSQL away: say so once a minute, not on every poll.
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    logger().warn({ err: error instanceof Error ? error.message : String(error) }, message);
  };
  let listening: Promise<{ unlisten: () => Promise<void> } | null> | null = null;
  let lastPrune = 0;

  const send = async () => {
    try {
      // postgres.js listens again by itself after a reconnection (third argument: then catch up).
      listening ??= sqlClient()
        .listen(
          MAIL_CHANNEL,
          () => sender.wake(),
          () => sender.wake(),
        )
        .catch((error: unknown) => {
          warn(error, "courriels : notifications indisponibles, relevé périodique seul");
          listening = null;
          return null;
        });
      await listening;
      while ((await processPasswordResetRequests()) > 0) {
        // tokens and their mails first, so that they leave in this round
      }
      while ((await processMailBatch(transport.deliver, options)) > 0) {
        // keep sending while mail is due
      }
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now();
        await pruneMailOutbox();
      }
    } catch (error) {
      warn(error, "envoi des courriels en attente");
    }
  };
  const plan = async () => {
    try {
      for (const frequency of ["immediately", "daily", "weekly"] as const) {
        await runDigests(frequency);
      }
      await enqueueEventReminders();
      await enqueueLabelReminders();
    } catch (error) {
      warn(error, "résumés et rappels en attente");
    }
  };
  const sender = repeat(send, options.intervalMs ?? 1_000);
  const scheduler = repeat(plan, options.scheduleMs ?? 60_000);
  return {
    drain: sender.runNow,
    schedule: scheduler.runNow,
    close: async () => {
      await Promise.all([sender.close(), scheduler.close()]);
      await (await listening)?.unlisten();
      transport.close();
    },
  };
}
