import type { Socket } from "socket.io-client";

import type {
  ClientToServerEvents,
  LivePost,
  PostChange,
  PostDeletedEvent,
  PostUpdatedEvent,
  PresenceEvent,
  ServerToClientEvents,
  TypingEvent,
} from "./protocol";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One answer of `GET /api/v1/topics/:id/posts?after=…[&since=…]`. */
export type PostsPage = {
  items: LivePost[];
  hasMore: boolean;
  /** Asked with `since`: the changes to posts up to `after`, oldest first. */
  changes?: PostChange[];
  changesHaveMore?: boolean;
};

type Options = {
  topicId: number;
  /** Id of the newest post the client already shows. */
  lastSeenId: number;
  /**
   * The topic's change number when the shown posts were read. With it, edits, hidings and
   * deletions made while the client was away are fetched too, not only new posts.
   */
  lastChangeId?: number;
  /** The catch-up API (injected so tests and the browser share this code). */
  fetchAfter: (after: number, since?: number) => Promise<PostsPage>;
  onPosts: (posts: LivePost[]) => void;
  onUpdated?: (event: PostUpdatedEvent) => void;
  onDeleted?: (event: PostDeletedEvent) => void;
  onTyping?: (event: TypingEvent) => void;
  onPresence?: (event: PresenceEvent) => void;
  /** Joining was refused, or catching up failed (`cause`: the fetch's error). */
  onError?: (message: string, cause?: unknown) => void;
  /** Each time the client is joined and caught up (after every reconnection too). */
  onSynced?: () => void;
};

/**
 * Follows a topic over a socket without losing or repeating a post: on every (re)connection it
 * joins the room, then fetches what changed since its last sync (new posts, and with
 * `lastChangeId` the edits, hidings and deletions), holding new live posts back until that
 * catch-up is applied. New posts are delivered once each, in id order; of two states of one
 * post, the newer (higher change number) always wins, whichever arrives first.
 */
export function followTopic(socket: ClientSocket, options: Options) {
  const { topicId } = options;
  // Every post up to `syncedPostId` and every change up to `syncedChangeId` are known: a
  // reconnection asks from there (what arrived live since is asked again, harmlessly).
  let syncedPostId = options.lastSeenId;
  let syncedChangeId = options.lastChangeId;
  const seen = new Set<number>();
  const appliedChange = new Map<number, number>();
  let syncing = false;
  let held: LivePost[] = [];
  let stopped = false;

  /** Whether a state of a post is newer than the one already applied (and records it). */
  const isNewer = (postId: number, changeId: number | undefined) => {
    if (changeId === undefined) return true;
    if ((appliedChange.get(postId) ?? -1) >= changeId) return false;
    appliedChange.set(postId, changeId);
    return true;
  };

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
      isNewer(post.id, post.changeId);
    }
    options.onPosts(unique);
  };

  const onCreated = (event: { topicId: number; post: LivePost }) => {
    if (event.topicId !== topicId) return;
    if (syncing) held.push(event.post);
    else deliver([event.post]);
  };
  const onUpdated = (event: PostUpdatedEvent) => {
    if (event.topicId !== topicId || !isNewer(event.post.id, event.post.changeId)) return;
    options.onUpdated?.(event);
  };
  const onDeleted = (event: PostDeletedEvent) => {
    if (event.topicId !== topicId || !isNewer(event.postId, event.changeId)) return;
    options.onDeleted?.(event);
  };
  const onTyping = (event: TypingEvent) => {
    if (event.topicId === topicId) options.onTyping?.(event);
  };
  const onPresence = (event: PresenceEvent) => {
    if (event.topicId === topicId) options.onPresence?.(event);
  };

  const applyChanges = (changes: PostChange[]) => {
    for (const change of changes) {
      if (change.state === "visible" && change.post) {
        onUpdated({ topicId, post: { ...change.post, changeId: change.changeId } });
      } else if (change.state !== "visible") {
        onDeleted({ topicId, postId: change.id, reason: change.state, changeId: change.changeId });
      }
    }
  };

  const catchUp = async (target: { lastPostId: number; lastChangeId: number }) => {
    let after = syncedPostId;
    let since = syncedChangeId;
    let postsPending = after < target.lastPostId;
    let changesPending = since !== undefined && since < target.lastChangeId;
    while (postsPending || changesPending) {
      const page = await options.fetchAfter(after, changesPending ? since : undefined);
      if (changesPending) {
        const changes = page.changes ?? [];
        applyChanges(changes);
        const lastChange = changes.at(-1)?.changeId;
        if (page.changesHaveMore && lastChange !== undefined) since = lastChange;
        else changesPending = false;
      }
      deliver(page.items);
      const last = page.items.at(-1)?.id;
      if (postsPending && page.hasMore && last !== undefined) after = last;
      else postsPending = false;
    }
    syncedPostId = Math.max(syncedPostId, target.lastPostId);
    if (syncedChangeId !== undefined) {
      syncedChangeId = Math.max(syncedChangeId, target.lastChangeId);
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
      const finish = () => {
        syncing = false;
        const pending = held;
        held = [];
        deliver(pending);
        options.onSynced?.();
      };
      catchUp({ lastPostId: result.lastPostId ?? 0, lastChangeId: result.lastChangeId ?? 0 })
        .catch((error: unknown) =>
          options.onError?.("Impossible de récupérer les messages manqués.", error),
        )
        .finally(finish);
    });
  };

  socket.on("post:created", onCreated);
  socket.on("post:updated", onUpdated);
  socket.on("post:deleted", onDeleted);
  socket.on("topic:typing", onTyping);
  socket.on("topic:presence", onPresence);
  socket.on("connect", join);
  socket.on("session:resync", join);
  if (socket.connected) join();

  return {
    /** Signals that the user is typing (the server relays at most one every 2 s). */
    typing: () => {
      if (socket.connected) socket.emit("topic:typing", { topicId });
    },
    stop: () => {
      stopped = true;
      socket.off("post:created", onCreated);
      socket.off("post:updated", onUpdated);
      socket.off("post:deleted", onDeleted);
      socket.off("topic:typing", onTyping);
      socket.off("topic:presence", onPresence);
      socket.off("connect", join);
      socket.off("session:resync", join);
      if (socket.connected) socket.emit("topic:leave", topicId);
    },
  };
}
