import { useEffect, useMemo, useRef, useState } from "react";

import type { LivePost } from "../../realtime/protocol";
import { followTopic, type PostsPage } from "../../realtime/topic-client";
import { getSocket } from "./socket.client";

/** A post as the topic page shows it, from the loader or pushed live. */
export type PostView = {
  id: number;
  html: string;
  createdAt: string;
  editedAt: string | null;
  replyToId: number | null;
  authorName: string;
  authorJobTitle?: string | null;
  authorProfileKind?: "elu" | "agent" | "partenaire";
  authorCollectivity?: string | null;
  former?: boolean;
  deletedAt?: string | null;
  hiddenAt?: string | null;
  mine?: boolean;
  editable?: boolean;
  /** The topic's change number of this state of the post (absent for old clients' events). */
  changeId?: number;
};

/** The latest state of a post pushed live or fetched after a reconnection. */
type PostState =
  | { state: "visible"; html: string; editedAt: string | null; changeId?: number }
  | { state: "hidden" | "deleted"; changeId?: number };

function fromLive(post: LivePost, viewerId: string): PostView {
  const mine = post.author.id === viewerId;
  return {
    id: post.id,
    html: post.html,
    createdAt: post.createdAt,
    editedAt: post.editedAt ?? null,
    replyToId: post.replyToId ?? null,
    authorName: post.author.name,
    mine,
    editable: mine,
    changeId: post.changeId,
  };
}

/** A post with its latest known state applied, unless the page's own copy is newer. */
function withState(post: PostView, change: PostState | undefined, moderator: boolean): PostView {
  if (!change || (change.changeId ?? Infinity) <= (post.changeId ?? -1)) return post;
  const now = new Date().toISOString();
  if (change.state === "visible") {
    return { ...post, html: change.html, editedAt: change.editedAt, hiddenAt: null };
  }
  if (change.state === "deleted") return { ...post, html: "", deletedAt: post.deletedAt ?? now };
  // Moderators keep seeing a hidden post, marked as such; others see its place only.
  return { ...post, html: moderator ? post.html : "", hiddenAt: post.hiddenAt ?? now };
}

async function fetchPage(topicId: number, after: number, since?: number): Promise<PostsPage> {
  const query = new URLSearchParams({ after: String(after), limit: "100" });
  if (since !== undefined) query.set("since", String(since));
  const response = await fetch(`/api/v1/topics/${topicId}/posts?${query}`, {
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`rattrapage : ${response.status}`);
  return (await response.json()) as PostsPage;
}

/**
 * The live state of a topic page: the loader's posts with what was posted, edited, hidden or
 * deleted since (pushed over the socket, or fetched after a reconnection), the number of readers,
 * who is typing, and why following failed if it did. Only a signed-in reader of the last page
 * follows the topic.
 */
export function useLiveTopic(options: {
  topicId: number;
  viewerId: string | null;
  moderator: boolean;
  /** Whether to follow the topic live (the last page: new posts belong after it). */
  follow: boolean;
  /** The topic's change number when the loader read the posts. */
  lastChangeId: number;
  posts: PostView[];
}) {
  const { topicId, viewerId, follow, moderator } = options;
  const [live, setLive] = useState<PostView[]>([]);
  const [states, setStates] = useState<Record<number, PostState>>({});
  const [presence, setPresence] = useState<number | null>(null);
  const [typing, setTyping] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>();
  const follower = useRef<ReturnType<typeof followTopic> | null>(null);
  // The newest position the page has shown, kept across loader revalidations.
  const lastId = useRef(0);
  lastId.current = Math.max(lastId.current, options.posts.at(-1)?.id ?? 0);
  const lastChange = useRef(0);
  lastChange.current = Math.max(lastChange.current, options.lastChangeId);

  useEffect(() => {
    if (!viewerId || !follow) return;
    const followed = followTopic(getSocket(), {
      topicId,
      lastSeenId: lastId.current,
      lastChangeId: lastChange.current,
      fetchAfter: (after, since) => fetchPage(topicId, after, since),
      onPosts: (posts) =>
        setLive((current) => [...current, ...posts.map((p) => fromLive(p, viewerId))]),
      onUpdated: ({ post }) =>
        setStates((current) => ({
          ...current,
          [post.id]: {
            state: "visible",
            html: post.html,
            editedAt: post.editedAt ?? null,
            changeId: post.changeId,
          },
        })),
      onDeleted: ({ postId, reason, changeId }) =>
        setStates((current) => ({
          ...current,
          [postId]: { state: reason ?? "deleted", changeId },
        })),
      onPresence: ({ count }) => setPresence(count),
      onError: (message, cause) => {
        console.warn(`Suivi du sujet ${topicId} :`, message, cause);
        setProblem(message);
      },
      onSynced: () => setProblem(null),
      onTyping: ({ user }) => {
        if (user.id === viewerId) return;
        setTyping(user.name);
        clearTimeout(typingTimer.current);
        typingTimer.current = setTimeout(() => setTyping(null), 4000);
      },
    });
    follower.current = followed;
    return () => {
      followed.stop();
      follower.current = null;
      clearTimeout(typingTimer.current);
    };
  }, [topicId, viewerId, follow]);

  const posts = useMemo(() => {
    const known = new Set(options.posts.map((p) => p.id));
    const merged = [...options.posts, ...live.filter((p) => !known.has(p.id))];
    return merged.map((post) => withState(post, states[post.id], moderator));
  }, [options.posts, live, states, moderator]);

  return { posts, presence, typing, problem, signalTyping: () => follower.current?.typing() };
}
