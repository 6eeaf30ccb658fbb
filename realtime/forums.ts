import type { Socket } from "socket.io";
import { z } from "zod";

import { getTopic, topicLastPostId } from "../app/models/forums.server";
import type { Role } from "../db/schema";
import type { RealtimeServer } from "./hub";
import {
  rooms,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "./protocol";

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

const topicIdSchema = z.number().int().positive().max(2_147_483_647);
// strictObject refuses extra keys, including an own `__proto__` produced by JSON.parse.
const typingSchema = z.strictObject({ topicId: topicIdSchema });

/** Events a socket may send in one minute before it is disconnected (OWASP: 100/min). */
export const FLOOD_LIMIT = 100;
/** Largest accepted event, serialised (the transport itself stops at 64 KB). */
export const MAX_EVENT_BYTES = 4 * 1024;
const TYPING_INTERVAL_MS = 2000;
const PRESENCE_DELAY_MS = 300;

const invalid = {
  ok: false,
  error: { code: "bad_request", message: "Requête invalide." },
} as const;
const notFound = {
  ok: false,
  error: { code: "not_found", message: "Sujet introuvable ou inaccessible." },
} as const;

function reply<T extends object>(ack: unknown, result: Ack<T>) {
  if (typeof ack === "function") (ack as (result: Ack<T>) => void)(result);
}

/**
 * Counts every incoming event of a socket; a client that floods or sends oversized events is
 * answered with an error and, past the limit, disconnected.
 */
function guard(socket: AppSocket) {
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
      socket.disconnect(true);
      return;
    }
    let size = 0;
    try {
      size = JSON.stringify(packet.filter((part) => typeof part !== "function")).length;
    } catch {
      size = Infinity;
    }
    if (size > MAX_EVENT_BYTES) {
      const ack = packet.at(-1);
      reply(ack, {
        ok: false,
        error: { code: "payload_too_large", message: "Message trop volumineux." },
      });
      return;
    }
    next();
  });
}

export function registerForumHandlers(io: RealtimeServer, socket: AppSocket) {
  guard(socket);
  const lastTyping = new Map<number, number>();

  socket.on("topic:join", async (rawTopicId: unknown, ack: unknown) => {
    const parsed = topicIdSchema.safeParse(rawTopicId);
    if (!parsed.success) return reply(ack, invalid);
    try {
      const { user } = socket.data;
      const topic = await getTopic({ ...user, roles: user.roles as Role[] }, parsed.data);
      if (!topic) return reply(ack, notFound);
      await socket.join(rooms.topic(topic.id));
      // Read again once in the room: a post committed between the check and the join is then
      // either in this id (the client fetches it) or delivered live.
      const lastPostId = await topicLastPostId(topic.id);
      reply(ack, { ok: true, lastPostId });
      schedulePresence(io, topic.id);
    } catch {
      reply(ack, { ok: false, error: { code: "unavailable", message: "Service indisponible." } });
    }
  });

  socket.on("topic:leave", async (rawTopicId: unknown, ack: unknown) => {
    const parsed = topicIdSchema.safeParse(rawTopicId);
    if (!parsed.success) return reply(ack, invalid);
    await socket.leave(rooms.topic(parsed.data));
    reply(ack, { ok: true });
    schedulePresence(io, parsed.data);
  });

  socket.on("typing", (payload: unknown) => {
    const parsed = typingSchema.safeParse(payload);
    if (!parsed.success) return;
    const room = rooms.topic(parsed.data.topicId);
    // Only members of the room may signal, so typing cannot reveal a restricted topic.
    if (!socket.rooms.has(room)) return;
    const now = Date.now();
    if (now - (lastTyping.get(parsed.data.topicId) ?? 0) < TYPING_INTERVAL_MS) return;
    lastTyping.set(parsed.data.topicId, now);
    const { id, name } = socket.data.user;
    socket.to(room).emit("typing", { topicId: parsed.data.topicId, user: { id, name } });
  });

  socket.on("disconnecting", () => {
    for (const room of socket.rooms) {
      const match = /^topic:(\d+)$/.exec(room);
      if (match) schedulePresence(io, Number(match[1]));
    }
  });
}

const pendingPresence = new Map<number, NodeJS.Timeout>();

/** Presence is coalesced: one count per topic per short interval, whatever the churn. */
function schedulePresence(io: RealtimeServer, topicId: number) {
  if (pendingPresence.has(topicId)) return;
  const timer = setTimeout(() => {
    pendingPresence.delete(topicId);
    const room = rooms.topic(topicId);
    io.in(room)
      .fetchSockets()
      .then((sockets) => {
        const count = new Set(sockets.map((s) => s.data.user.id)).size;
        io.to(room).emit("presence", { topicId, count });
      })
      .catch(() => {});
  }, PRESENCE_DELAY_MS);
  timer.unref();
  pendingPresence.set(topicId, timer);
}
