import type { Server as HttpServer, IncomingMessage } from "node:http";

import { createAdapter } from "@socket.io/postgres-adapter";
import type pg from "pg";
import { Server } from "socket.io";

import type { Config } from "../app/config.server";
import { authenticate } from "../app/utils/auth.server";
import { logger } from "../app/utils/logger.server";
import { registerEventHandlers } from "./events";
import { registerForumHandlers } from "./forums";
import { guardSocket } from "./guard";
import type { RealtimeServer } from "./hub";
import { registerRealtime } from "./hub";
import { rooms } from "./protocol";

/**
 * Sockets one person may hold open on one instance (tabs, devices, integrations); the next
 * handshake is refused with `too_many_connections`.
 */
export const MAX_SOCKETS_PER_USER = 20;

type Options = {
  config: Config;
  /** With a pool, rooms are shared with every other instance through LISTEN/NOTIFY. */
  pool?: pg.Pool;
  onAdapterError?: (error: Error) => void;
};

/** Browsers always send Origin on a WebSocket or polling handshake; anything else is refused. */
export function isAllowedOrigin(request: IncomingMessage, origins: string[]) {
  const origin = request.headers.origin;
  return typeof origin === "string" && origins.includes(origin);
}

export function createRealtimeServer(httpServer: HttpServer, options: Options): RealtimeServer {
  const { config } = options;
  const io: RealtimeServer = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // socket.io's cors option does not stop a foreign page from opening a socket: allowRequest does.
    // Integrations using an API token send the app's Origin header too.
    allowRequest: (request, callback) => callback(null, isAllowedOrigin(request, config.origins)),
    maxHttpBufferSize: 64 * 1024,
    // No connectionStateRecovery: the PostgreSQL adapter keeps no session to restore, so it
    // would never recover anything. Clients catch up through the API after any cut, however
    // long, and every reconnection goes through authentication again.
    // WebSocket only: long-polling behind a load balancer without sticky sessions loops on 400s.
    transports: ["websocket"],
  });
  if (options.pool) {
    io.adapter(
      createAdapter(options.pool, {
        tableName: "socket_io_attachments",
        errorHandler:
          options.onAdapterError ??
          ((error) =>
            logger().error(
              { err: error.message },
              "realtime adapter error; broadcasts stay local",
            )),
      }),
    );
  }

  io.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      const { auth } = await authenticate({
        cookie: socket.handshake.headers.cookie,
        authorization: typeof token === "string" ? `Bearer ${token}` : undefined,
      });
      if (!auth.user) return next(new Error("unauthorized"));
      // Counted and joined in the same tick, so that parallel handshakes cannot all pass the
      // check; a handshake that fails after this leaves its rooms with it.
      const userRoom = rooms.user(auth.user.id);
      if ((io.of("/").adapter.rooms.get(userRoom)?.size ?? 0) >= MAX_SOCKETS_PER_USER) {
        logger().warn({ userId: auth.user.id }, "realtime: too many sockets for one person");
        return next(new Error("too_many_connections"));
      }
      void socket.join(userRoom);
      socket.data.user = { id: auth.user.id, name: auth.user.name, roles: auth.user.roles };
      socket.data.sessionId = auth.session?.id ?? null;
      next();
    } catch (error) {
      logger().error(
        { err: error instanceof Error ? error.message : String(error) },
        "realtime: handshake authentication failed",
      );
      next(new Error("unavailable"));
    }
  });

  io.on("connection", (socket) => {
    if (socket.data.sessionId) void socket.join(rooms.session(socket.data.sessionId));
    guardSocket(socket);
    registerForumHandlers(io, socket);
    socket.on("session:ping", (ack) => {
      if (typeof ack !== "function") return;
      ack({ ok: true, userId: socket.data.user.id });
    });
    registerEventHandlers(socket);
  });

  registerRealtime(io);
  return io;
}
