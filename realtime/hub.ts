import type { Server } from "socket.io";

import { singleton } from "../app/utils/singleton.server";
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from "./protocol";
import { rooms } from "./protocol";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

/**
 * Model code emits through this holder, which is empty in scripts and workers that run without a
 * socket.io server: events are only a hint to refresh, PostgreSQL stays the source of truth.
 */
const holder = singleton("realtime", () => ({ io: null as RealtimeServer | null }));

export function registerRealtime(io: RealtimeServer | null) {
  holder.io = io;
}

export function realtime(): RealtimeServer | null {
  return holder.io;
}

/** Ends the user's sockets, except those of `keepSessionId` (the device that asked). */
export function disconnectUser(
  userId: string,
  reason: "logout" | "password" | "revoked" | "deleted",
  keepSessionId?: string,
) {
  const io = holder.io;
  if (!io) return;
  let target = io.in(rooms.user(userId));
  if (keepSessionId) target = target.except(rooms.session(keepSessionId));
  target.emit("session:ended", { reason });
  target.disconnectSockets(true);
}

export function disconnectSession(sessionId: string) {
  const io = holder.io;
  if (!io) return;
  io.in(rooms.session(sessionId)).emit("session:ended", { reason: "logout" });
  io.in(rooms.session(sessionId)).disconnectSockets(true);
}
