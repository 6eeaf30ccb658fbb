import type { BroadcastOperator, Server, Socket } from "socket.io";

import { singleton } from "../app/utils/singleton.server";
import {
  legacyEventNames,
  rooms,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "./protocol";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

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

export function disconnectSession(
  sessionId: string,
  reason: "logout" | "password" | "revoked" = "logout",
) {
  const io = holder.io;
  if (!io) return;
  io.in(rooms.session(sessionId)).emit("session:ended", { reason });
  io.in(rooms.session(sessionId)).disconnectSockets(true);
}

type Renamed = keyof typeof legacyEventNames;

/**
 * Emits an event renamed to `domain:verb` under its new name and, for one release, under its old
 * one too, so that clients of the previous release keep working.
 */
export function emitWithLegacyName<E extends Renamed>(
  target: BroadcastOperator<ServerToClientEvents, SocketData>,
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
) {
  target.emit(event, ...args);
  // Same payload under the old name: the union of the renamed events' parameters is lost to
  // TypeScript once the name is computed, hence the loose signature.
  const emitLoosely = target.emit.bind(target) as (name: string, ...payload: unknown[]) => void;
  emitLoosely(legacyEventNames[event], ...args);
}
