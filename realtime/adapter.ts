import { randomBytes } from "node:crypto";

import pg from "pg";
import type { Logger } from "pino";

/**
 * The connection pool of `@socket.io/postgres-adapter`, with what the adapter lacks to survive a
 * lost LISTEN connection:
 * - its LISTEN client has no error listener of its own: without one, a PostgreSQL restart would
 *   crash the process;
 * - it never gives a broken client back to the pool: with two connections, one lost LISTEN would
 *   leave none for publishing, and every broadcast to other instances would wait forever. A client
 *   still checked out once pg-pool's own error path has run can only be that listener: it is
 *   released, broken, so that its place is freed;
 * - it says nothing when LISTEN is back: `onListenerBack` is called then, so that the instance's
 *   clients catch up on what other instances sent meanwhile.
 */
export function createAdapterPool(options: {
  databaseUrl: string;
  log: Logger;
  onListenerBack: () => void;
}) {
  const { log } = options;
  // Named per instance, so that this instance can see its own LISTEN connection come back.
  const listenerName = `territoires-realtime-${randomBytes(6).toString("hex")}`;
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 2,
    application_name: listenerName,
  });
  let listenWatch: NodeJS.Timeout | undefined;
  let closing = false;

  // The adapter reconnects by itself but offers no event for it: look for its LISTEN in
  // pg_stat_activity once a second, only while it is lost.
  const awaitListenerReturn = () => {
    if (listenWatch || closing) return;
    const check = async () => {
      try {
        const { rowCount } = await pool.query(
          "select 1 from pg_stat_activity where application_name = $1 and query like 'LISTEN %'",
          [listenerName],
        );
        if (rowCount) {
          listenWatch = undefined;
          log.warn("realtime: LISTEN connection back, clients asked to catch up");
          options.onListenerBack();
          return;
        }
      } catch (error) {
        log.debug(
          { err: error instanceof Error ? error.message : String(error) },
          "realtime: PostgreSQL still away, looking again in a second",
        );
      }
      if (!closing) listenWatch = setTimeout(() => void check(), 1000);
    };
    listenWatch = setTimeout(() => void check(), 1000);
  };

  const checkedOut = new Set<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_error, client) => checkedOut.delete(client));
  pool.on("connect", (client) =>
    client.on("error", (error) => {
      log.error(
        { err: error.message },
        "realtime: LISTEN connection lost, broadcasts stay local until it returns",
      );
      setImmediate(() => {
        if (checkedOut.has(client)) client.release(error);
      });
      awaitListenerReturn();
    }),
  );
  pool.on("error", (error) => log.warn({ err: error.message }, "realtime adapter pool error"));

  return {
    pool,
    async close() {
      closing = true;
      clearTimeout(listenWatch);
      await pool
        .end()
        .catch((error: unknown) =>
          log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            "realtime adapter pool did not close cleanly",
          ),
        );
    },
  };
}
