import { z } from "zod";

import { getTopic, topicPosition } from "../app/models/forums.server";
import { logger } from "../app/utils/logger.server";
import type { Role } from "../db/schema";
import { reply } from "./guard";
import { emitWithLegacyName, type AppSocket, type RealtimeServer } from "./hub";
import { rooms } from "./protocol";

const topicIdSchema = z.number().int().positive().max(2_147_483_647);
// strictObject refuses extra keys, including an own `__proto__` produced by JSON.parse.
const typingSchema = z.strictObject({ topicId: topicIdSchema });

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

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function registerForumHandlers(io: RealtimeServer, socket: AppSocket) {
  const lastTyping = new Map<number, number>();

  socket.on("topic:join", async (rawTopicId: unknown, ack: unknown) => {
    const parsed = topicIdSchema.safeParse(rawTopicId);
    if (!parsed.success) return reply(ack, invalid);
    const { user } = socket.data;
    try {
      const topic = await getTopic({ ...user, roles: user.roles as Role[] }, parsed.data);
      if (!topic) return reply(ack, notFound);
      await socket.join(rooms.topic(topic.id));
      // Read again once in the room: a post or change committed between the check and the join
      // is then either in these numbers (the client fetches it) or delivered live.
      const { lastPostId, lastChangeId } = await topicPosition(topic.id);
      reply(ack, { ok: true, lastPostId, lastChangeId });
      schedulePresence(io, topic.id);
    } catch (error) {
      logger().error(
        { err: errorText(error), userId: user.id, topicId: parsed.data },
        "realtime: topic join failed",
      );
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

  const onTyping = (payload: unknown) => {
    const parsed = typingSchema.safeParse(payload);
    if (!parsed.success) return;
    const { topicId } = parsed.data;
    const room = rooms.topic(topicId);
    // Only members of the room may signal, so typing cannot reveal a restricted topic.
    if (!socket.rooms.has(room)) return;
    const now = Date.now();
    if (now - (lastTyping.get(topicId) ?? 0) < TYPING_INTERVAL_MS) return;
    lastTyping.set(topicId, now);
    const { id, name } = socket.data.user;
    emitWithLegacyName(socket.to(room), "topic:typing", { topicId, user: { id, name } });
  };
  socket.on("topic:typing", onTyping);
  // The name clients of the previous release send.
  socket.on("typing", onTyping);

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
        emitWithLegacyName(io.to(room), "topic:presence", { topicId, count });
      })
      .catch((error: unknown) =>
        logger().warn({ err: errorText(error), topicId }, "realtime: presence count failed"),
      );
  }, PRESENCE_DELAY_MS);
  timer.unref();
  pendingPresence.set(topicId, timer);
}
