import type { NotificationKind } from "../db/schema/notifications";

/**
 * The socket.io contract shared by the server and the browser. Event names are `domain:verb`;
 * room names come from the helpers below, never from string literals elsewhere.
 */
export type Ack<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

export type SocketUser = { id: string; name: string };

// ——— Forums ———

/**
 * A post as pushed to a topic room: `html` is already sanitised on the server. `changeId` is the
 * topic's change number of the post's latest creation, edit or moderation: of two states of one
 * post, the higher number is the newer.
 */
export type LivePost = {
  id: number;
  author: { id: string | null; name: string };
  html: string;
  createdAt: string;
  replyToId?: number | null;
  editedAt?: string | null;
  changeId?: number;
};

export type PostCreatedEvent = { topicId: number; post: LivePost };
export type PostUpdatedEvent = { topicId: number; post: LivePost };
/** A post deleted by its author, or hidden by the moderation (`reason`). */
export type PostDeletedEvent = {
  topicId: number;
  postId: number;
  reason?: "deleted" | "hidden";
  changeId?: number;
};
/**
 * The current state of a post changed after a client's last sync (created, edited, hidden,
 * restored or deleted), as the catch-up API returns it; `post` is null unless it is visible.
 */
export type PostChange = {
  id: number;
  changeId: number;
  state: "visible" | "hidden" | "deleted";
  post: LivePost | null;
};
export type TypingEvent = { topicId: number; user: SocketUser };
export type PresenceEvent = { topicId: number; count: number };
export type NotificationEvent = {
  id: number;
  kind: NotificationKind;
  text: string;
  url: string;
  createdAt: string;
  unreadCount: number;
};

/**
 * Later domains add their events here. Events renamed to `domain:verb` are still sent under their
 * old name (`typing`, `presence`, `notification`, `resync`) for one release: the README lists both.
 */
export interface ServerToClientEvents {
  "session:ended": (payload: { reason: "logout" | "password" | "revoked" | "deleted" }) => void;
  /** Sent to `rooms.event(id)` after a registration, cancellation or capacity change commits. */
  "event:places": (payload: EventPlaces) => void;
  "post:created": (payload: PostCreatedEvent) => void;
  "post:updated": (payload: PostUpdatedEvent) => void;
  "post:deleted": (payload: PostDeletedEvent) => void;
  "topic:typing": (payload: TypingEvent) => void;
  "topic:presence": (payload: PresenceEvent) => void;
  "notification:created": (payload: NotificationEvent) => void;
  /**
   * Events from other instances may have been missed (this instance's PostgreSQL LISTEN
   * connection was lost, and is back): join again and catch up through the API.
   */
  "session:resync": () => void;
  /** @deprecated old name of `topic:typing`, sent alongside it for one release. */
  typing: (payload: TypingEvent) => void;
  /** @deprecated old name of `topic:presence`, sent alongside it for one release. */
  presence: (payload: PresenceEvent) => void;
  /** @deprecated old name of `notification:created`, sent alongside it for one release. */
  notification: (payload: NotificationEvent) => void;
  /** @deprecated old name of `session:resync`, sent alongside it for one release. */
  resync: () => void;
}

/** The old name each renamed event is also sent under, for one release. */
export const legacyEventNames = {
  "topic:typing": "typing",
  "topic:presence": "presence",
  "notification:created": "notification",
  "session:resync": "resync",
} as const;

/** `placesLeft` is null when the event has no capacity limit. */
export type EventPlaces = {
  eventId: string;
  placesLeft: number | null;
  confirmed: number;
  waitlisted: number;
};

export interface ClientToServerEvents {
  "session:ping": (ack: (result: Ack<{ userId: string }>) => void) => void;
  /** Follow the places left of a published event (joins `rooms.event(id)`). */
  "event:watch": (payload: { eventId: string }, ack: (result: Ack<EventPlaces>) => void) => void;
  "event:unwatch": (payload: { eventId: string }, ack: (result: Ack) => void) => void;
  /** Joins a topic room; refused (same answer as a missing topic) when the user may not read it. */
  "topic:join": (
    topicId: number,
    ack: (result: Ack<{ lastPostId: number | null; lastChangeId: number }>) => void,
  ) => void;
  "topic:leave": (topicId: number, ack?: (result: Ack) => void) => void;
  /** "I am typing" in a joined topic; relayed to the others as `topic:typing`. */
  "topic:typing": (payload: { topicId: number }) => void;
  /** @deprecated old name of `topic:typing`, still accepted for one release. */
  typing: (payload: { topicId: number }) => void;
}

export interface SocketData {
  user: SocketUser & { roles: string[] };
  sessionId: string | null;
}

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  event: (eventId: string) => `event:${eventId}`,
  topic: (topicId: number) => `topic:${topicId}`,
};
