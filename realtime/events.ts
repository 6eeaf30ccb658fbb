import type { Socket } from "socket.io";

import { watchablePlaces } from "../app/models/event-places.server";
import { logger } from "../app/utils/logger.server";
import { z } from "../app/utils/validation";
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from "./protocol";
import { rooms } from "./protocol";

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

const WatchSchema = z.strictObject({ eventId: z.string().regex(/^[a-z2-7]{10,40}$/) });

const invalid = {
  ok: false as const,
  error: { code: "bad_request", message: "Requête invalide." },
};
const missing = {
  ok: false as const,
  error: { code: "not_found", message: "Événement introuvable." },
};

/** Lets a page follow the places left of a public event; drafts cannot be followed. */
export function registerEventHandlers(socket: AppSocket) {
  socket.on("event:watch", async (payload, ack) => {
    if (typeof ack !== "function") return;
    const parsed = WatchSchema.safeParse(payload);
    if (!parsed.success) return ack(invalid);
    try {
      const places = await watchablePlaces(parsed.data.eventId);
      if (!places) return ack(missing);
      await socket.join(rooms.event(parsed.data.eventId));
      ack({ ok: true, ...places });
    } catch (error) {
      logger().warn(
        {
          err: error instanceof Error ? error.message : String(error),
          eventId: parsed.data.eventId,
          userId: socket.data.user.id,
        },
        "event:watch failed",
      );
      ack({ ok: false, error: { code: "unavailable", message: "Service indisponible." } });
    }
  });
  socket.on("event:unwatch", async (payload, ack) => {
    if (typeof ack !== "function") return;
    const parsed = WatchSchema.safeParse(payload);
    if (!parsed.success) return ack(invalid);
    await socket.leave(rooms.event(parsed.data.eventId));
    ack({ ok: true });
  });
}
