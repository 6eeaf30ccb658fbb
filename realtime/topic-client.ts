import type { Socket } from "socket.io-client";

import type {
  LivePost,
  PostDeletedEvent,
  PostUpdatedEvent,
  PresenceEvent,
  ServerToClientEvents,
  ClientToServerEvents,
  TypingEvent,
} from "./protocol";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type PostsPage = { items: LivePost[]; hasMore: boolean };

type Options = {
  topicId: number;
  /** Id of the newest post the client already shows. */
  lastSeenId: number;
  /** `GET /api/v1/topics/:id/posts?after=` (injected so tests and the browser share this code). */
  fetchAfter: (after: number) => Promise<PostsPage>;
  onPosts: (posts: LivePost[]) => void;
  onUpdated?: (event: PostUpdatedEvent) => void;
  onDeleted?: (event: PostDeletedEvent) => void;
  onTyping?: (event: TypingEvent) => void;
  onPresence?: (event: PresenceEvent) => void;
  /** Joining was refused, or catching up failed. */
  onError?: (message: string) => void;
  /** Each time the client is joined and caught up (after every reconnection too). */
  onSynced?: () => void;
};

/**
 * Follows a topic over a socket without losing or repeating a post: on every (re)connection it
 * joins the room, then fetches what it missed since the last post it saw, holding live events
 * back until that catch-up is applied. Posts are delivered once each, in id order.
 */
export function followTopic(socket: ClientSocket, options: Options) {
  const { topicId } = options;
  let lastSeen = options.lastSeenId;
  const seen = new Set<number>();
  let syncing = false;
  let held: LivePost[] = [];
  let stopped = false;

  const deliver = (posts: LivePost[]) => {
    const fresh = posts
      .filter((post) => !seen.has(post.id) && post.id > options.lastSeenId)
      .sort((a, b) => a.id - b.id);
    const unique = fresh.filter(
      (post, index) => fresh.findIndex((p) => p.id === post.id) === index,
    );
    if (unique.length === 0) return;
    for (const post of unique) {
      seen.add(post.id);
      lastSeen = Math.max(lastSeen, post.id);
    }
    options.onPosts(unique);
  };

  const onCreated = (event: { topicId: number; post: LivePost }) => {
    if (event.topicId !== topicId) return;
    if (syncing) held.push(event.post);
    else deliver([event.post]);
  };
  const onUpdated = (event: PostUpdatedEvent) => {
    if (event.topicId === topicId) options.onUpdated?.(event);
  };
  const onDeleted = (event: PostDeletedEvent) => {
    if (event.topicId === topicId) options.onDeleted?.(event);
  };
  const onTyping = (event: TypingEvent) => {
    if (event.topicId === topicId) options.onTyping?.(event);
  };
  const onPresence = (event: PresenceEvent) => {
    if (event.topicId === topicId) options.onPresence?.(event);
  };

  const catchUp = async (until: number) => {
    let after = lastSeen;
    while (after < until) {
      const page = await options.fetchAfter(after);
      deliver(page.items);
      const last = page.items.at(-1)?.id;
      if (!page.hasMore || last === undefined) break;
      after = last;
    }
  };

  const join = () => {
    syncing = true;
    socket.emit("topic:join", topicId, (result) => {
      if (stopped) return;
      if (!result.ok) {
        syncing = false;
        held = [];
        options.onError?.(result.error.message);
        return;
      }
      const until = result.lastPostId ?? 0;
      const finish = () => {
        syncing = false;
        const pending = held;
        held = [];
        deliver(pending);
        options.onSynced?.();
      };
      if (until <= lastSeen) return finish();
      catchUp(until)
        .catch(() => options.onError?.("Impossible de récupérer les messages manqués."))
        .finally(finish);
    });
  };

  socket.on("post:created", onCreated);
  socket.on("post:updated", onUpdated);
  socket.on("post:deleted", onDeleted);
  socket.on("typing", onTyping);
  socket.on("presence", onPresence);
  socket.on("connect", join);
  socket.on("resync", join);
  if (socket.connected) join();

  return {
    /** Signals that the user is typing (the server relays at most one every 2 s). */
    typing: () => {
      if (socket.connected) socket.emit("typing", { topicId });
    },
    stop: () => {
      stopped = true;
      socket.off("post:created", onCreated);
      socket.off("post:updated", onUpdated);
      socket.off("post:deleted", onDeleted);
      socket.off("typing", onTyping);
      socket.off("presence", onPresence);
      socket.off("connect", join);
      socket.off("resync", join);
      if (socket.connected) socket.emit("topic:leave", topicId);
    },
  };
}
