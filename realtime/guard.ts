import { logger } from "../app/utils/logger.server";
import type { AppSocket } from "./hub";
import { rooms, type Ack } from "./protocol";

/** Events a socket may send in one minute before it is disconnected (OWASP: 100/min). */
export const FLOOD_LIMIT = 100;
/** Largest accepted event, serialised (the transport itself stops at 64 KB). */
export const MAX_EVENT_BYTES = 4 * 1024;
/** Topics and events one socket may follow at once (a page follows one or two). */
export const MAX_ROOMS_PER_SOCKET = 20;

export function reply<T extends object>(ack: unknown, result: Ack<T>) {
  if (typeof ack === "function") (ack as (result: Ack<T>) => void)(result);
}

/** The room a join event asks for, when its payload names one. */
function requestedRoom(event: unknown, payload: unknown) {
  if (event === "topic:join" && typeof payload === "number") return rooms.topic(payload);
  if (event === "event:watch" && typeof payload === "object" && payload !== null) {
    const { eventId } = payload as { eventId?: unknown };
    if (typeof eventId === "string") return rooms.event(eventId);
  }
  return null;
}

const followedRooms = (socket: AppSocket) =>
  [...socket.rooms].filter((room) => room.startsWith("topic:") || room.startsWith("event:")).length;

/**
 * Checks every incoming event of a socket: a client that floods or sends oversized events is
 * answered with an error and, past the limit, disconnected; joining more rooms than a page needs
 * is refused (joining a room the socket is already in always succeeds).
 */
export function guardSocket(socket: AppSocket) {
  let windowStart = Date.now();
  let events = 0;
  socket.use((packet, next) => {
    const now = Date.now();
    if (now - windowStart > 60_000) {
      windowStart = now;
      events = 0;
    }
    events += 1;
    if (events > FLOOD_LIMIT) {
      logger().warn({ userId: socket.data.user.id }, "realtime: socket flooding, disconnected");
      socket.disconnect(true);
      return;
    }
    const ack = packet.at(-1);
    let size = 0;
    try {
      size = JSON.stringify(packet.filter((part) => typeof part !== "function")).length;
    } catch (error) {
      logger().debug(
        { err: error instanceof Error ? error.message : String(error), event: packet[0] },
        "realtime: event that cannot be serialised, refused as too large",
      );
      size = Infinity;
    }
    if (size > MAX_EVENT_BYTES) {
      reply(ack, {
        ok: false,
        error: { code: "payload_too_large", message: "Message trop volumineux." },
      });
      return;
    }
    const room = requestedRoom(packet[0], packet[1]);
    if (room && !socket.rooms.has(room) && followedRooms(socket) >= MAX_ROOMS_PER_SOCKET) {
      reply(ack, {
        ok: false,
        error: {
          code: "too_many_rooms",
          message: `Une connexion suit au plus ${MAX_ROOMS_PER_SOCKET} sujets ou événements.`,
        },
      });
      return;
    }
    next();
  });
}
