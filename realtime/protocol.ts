/**
 * The socket.io contract shared by the server and the browser. Event names are `domain:verb`;
 * room names come from the helpers below, never from string literals elsewhere.
 */
export type Ack<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

export type SocketUser = { id: string; name: string };

// Later domains add their events here.
export interface ServerToClientEvents {
  "session:ended": (payload: { reason: "logout" | "password" | "revoked" | "deleted" }) => void;
  /** Sent to `rooms.event(id)` after a registration, cancellation or capacity change commits. */
  "event:places": (payload: EventPlaces) => void;
  /** Sent to `rooms.user(id)` when an in-app notification is stored for them. */
  "notification:new": (payload: NotificationPayload) => void;
}

/** `placesLeft` is null when the event has no capacity limit. */
export type EventPlaces = {
  eventId: string;
  placesLeft: number | null;
  confirmed: number;
  waitlisted: number;
};

export type NotificationPayload = { id: string; title: string; body: string; url: string | null };

export interface ClientToServerEvents {
  "session:ping": (ack: (result: Ack<{ userId: string }>) => void) => void;
  /** Follow the places left of a published event (joins `rooms.event(id)`). */
  "event:watch": (payload: { eventId: string }, ack: (result: Ack<EventPlaces>) => void) => void;
  "event:unwatch": (payload: { eventId: string }, ack: (result: Ack) => void) => void;
}

export interface SocketData {
  user: SocketUser & { roles: string[] };
  sessionId: string | null;
}

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  event: (eventId: string) => `event:${eventId}`,
};
