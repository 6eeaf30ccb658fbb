/**
 * What bench:load sends, and how it checks that nothing was lost or shown stale:
 * - the mix of the issue, per 100 requests: 30 topic pages, 15 initiative searches, 15
 *   initiatives, 10 home pages, 10 event pages, 5 directory searches, 5 API calls, 5 writes
 *   (replies through the page form, registrations and initiative edits through the API), 5 iCal
 *   feeds, spread evenly over the 100 slots;
 * - after each write's response, anonymous reads of the written item on the instance that wrote
 *   and on the other one, repeated until it shows: how long each took to see it;
 * - socket.io clients spread over the topics, which must receive every reply of their topic.
 */
import { io as connectSocket } from "socket.io-client";

import type { ClientSocket } from "../realtime/topic-client";
import type { Corpus, Member } from "./corpus";
import { BROWSER_ENCODING } from "./lib";
import type { PlannedRequest } from "./open-loop";

const MIX: Array<[string, number]> = [
  ["topic", 30],
  ["search", 15],
  ["initiative", 15],
  ["home", 10],
  ["events", 10],
  ["directory", 5],
  ["api", 5],
  ["write", 5],
  ["ical", 5],
];

/** The 100 slots, each family's spread evenly (by the position of its k-th request). */
const SLOTS = MIX.flatMap(([family, count]) =>
  Array.from({ length: count }, (_, k) => ({ family, at: (k + 0.5) / count })),
)
  .sort((a, b) => a.at - b.at)
  .map((slot) => slot.family);

const SEARCHES = [
  "q=mediation",
  "q=donnees&theme=territoire-intelligent-donnees",
  "q=fibre",
  "q=budget%20participatif&theme=democratie-citoyennete",
  "q=jeunesse&kind=commune",
  "q=seniors",
  "q=conseil%20municipal",
  "q=formation%20des%20agents&theme=administration-agents",
];
const DIRECTORY = ["van", "ren", "bre", "lyo", "mars", "toul", "bord", "nant", "lavon", "saint"];

export type WriteKind = "reply" | "registration" | "edit";

export type WriteRecord = {
  kind: WriteKind;
  /** The page that must show it, read anonymously. */
  path: string;
  /** Text that is on that page once the write shows. */
  marker: string;
  /** Address of the instance that wrote (from the X-Upstream header the benchmark adds). */
  writer: string | null;
  respondedAt: number;
  topicId?: number;
  postId?: number;
  initiativeId?: string;
};

export function createMix(corpus: Corpus, proxyOrigin: string, onWrite: (w: WriteRecord) => void) {
  const counters = new Map<string, number>();
  const nextOf = (name: string) => {
    const value = counters.get(name) ?? 0;
    counters.set(name, value + 1);
    return value;
  };
  const { members, topics, initiatives, events } = corpus;
  const registrants = members.filter((member) => !member.organiser);
  const browser = { "accept-encoding": BROWSER_ENCODING };
  const asMember = (member: Member) => ({ ...browser, cookie: member.cookie });
  const bearer = (member: Member) => ({
    authorization: `Bearer ${member.token}`,
    "content-type": "application/json",
  });

  const write = (k: number): PlannedRequest => {
    const kind = (["reply", "registration", "reply", "edit", "registration"] as const)[k % 5]!;
    if (kind === "reply") {
      const n = nextOf("reply");
      const topic = topics[n % topics.length]!;
      const member = members[n % members.length]!;
      return {
        family: "write:reply",
        method: "POST",
        path: topic.path,
        headers: {
          ...asMember(member),
          origin: proxyOrigin,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          intent: "reply",
          body: `Réponse de charge n° ${n} : nous avons fait de même, avec un **budget** modeste.`,
        }).toString(),
        ok: (status) => status === 302 || status === 303,
        onResponse: ({ headers, at }) => {
          const location = String(headers.location ?? "");
          const match = /\?page=(\d+)#message-(\d+)$/.exec(location);
          if (!match) throw new Error(`réponse sans adresse du message : ${location}`);
          onWrite({
            kind,
            path: `${topic.path}?page=${match[1]}`,
            marker: `id="message-${match[2]}"`,
            writer: headerText(headers["x-upstream"]),
            respondedAt: at,
            topicId: topic.id,
            postId: Number(match[2]),
          });
        },
      };
    }
    if (kind === "registration") {
      // Each pair (member, event) once: member first, so that events fill evenly.
      const n = nextOf("registration");
      const member = registrants[n % registrants.length]!;
      const event = events[Math.floor(n / registrants.length) % events.length]!;
      return {
        family: "write:registration",
        method: "POST",
        path: `/api/v1/events/${event.id}/registrations`,
        headers: bearer(member),
        body: JSON.stringify({ showPublicly: true }),
        onResponse: ({ headers, at, status }) => {
          if (status !== 201) return;
          onWrite({
            kind,
            path: `/evenements/${event.slug}`,
            marker: member.name,
            writer: headerText(headers["x-upstream"]),
            respondedAt: at,
          });
        },
      };
    }
    const n = nextOf("edit");
    const initiative = initiatives[n % initiatives.length]!;
    const marker = `repère-${n}-${Math.random().toString(36).slice(2, 8)}`;
    return {
      family: "write:edit",
      method: "PATCH",
      path: `/api/v1/initiatives/${initiative.id}`,
      headers: bearer(initiative.owner),
      body: JSON.stringify({
        summary: `Résumé mis à jour pendant la mesure de charge, ${marker}.`,
      }),
      onResponse: ({ headers, at, status }) => {
        if (status !== 200) return;
        onWrite({
          kind,
          path: `/initiatives/${initiative.slug}`,
          marker,
          writer: headerText(headers["x-upstream"]),
          respondedAt: at,
          initiativeId: initiative.id,
        });
      },
    };
  };

  return (index: number): PlannedRequest => {
    const family = SLOTS[index % SLOTS.length]!;
    const k = nextOf(family);
    switch (family) {
      case "topic": {
        const topic = topics[k % topics.length]!;
        // Half the readers are signed in.
        const member = k % 2 === 0 ? members[k % members.length]! : null;
        return {
          family: member ? "topic (membre)" : "topic (anonyme)",
          path: `${topic.path}?page=1`,
          headers: member ? asMember(member) : browser,
        };
      }
      case "search":
        return { family, path: `/initiatives?${SEARCHES[k % SEARCHES.length]}`, headers: browser };
      case "initiative":
        return {
          family,
          path: `/initiatives/${initiatives[k % initiatives.length]!.slug}`,
          headers: browser,
        };
      case "home":
        return {
          family,
          path: "/",
          headers: k % 3 === 0 ? asMember(members[k % members.length]!) : browser,
        };
      case "events":
        return {
          family,
          path: k % 2 === 0 ? "/evenements" : `/evenements/${events[k % events.length]!.slug}`,
          headers: browser,
        };
      case "directory":
        return { family, path: `/annuaire?q=${DIRECTORY[k % DIRECTORY.length]}`, headers: browser };
      case "api": {
        const member = members[k % members.length]!;
        const paths = [
          "/api/v1/initiatives?q=mediation",
          `/api/v1/topics/${topics[k % topics.length]!.id}/posts?after=0&limit=30`,
          "/api/v1/events",
          `/api/v1/collectivities?q=${DIRECTORY[k % DIRECTORY.length]}`,
          "/api/v1/forums",
        ];
        return { family, path: paths[k % paths.length]!, headers: bearer(member) };
      }
      case "ical":
        return {
          family,
          path:
            k % 2 === 0
              ? "/evenements/calendrier.ics"
              : `/evenements/${events[k % events.length]!.slug}.ics`,
        };
      default:
        return write(k);
    }
  };
}

function headerText(value: string | string[] | undefined) {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

// ——— Stale reads ———

export type Visibility = {
  kind: WriteKind;
  /** "writer" (the instance that answered the write) or "other". */
  where: "writer" | "other";
  /** Milliseconds from the write's response to the first read that showed it (0: the first
   * read already did), or null if it never showed within the timeout. */
  delay: number | null;
  staleReads: number;
};

/** Reads the written item anonymously on `origin` until it shows; counts the reads that did not. */
export async function readUntilVisible(
  origin: string,
  record: WriteRecord,
  where: Visibility["where"],
  timeoutMs = 5000,
): Promise<Visibility> {
  let staleReads = 0;
  for (;;) {
    const startedAt = performance.now();
    const response = await fetch(`${origin}${record.path}`, {
      headers: { "accept-encoding": BROWSER_ENCODING },
    });
    const body = await response.text();
    if (response.ok && body.includes(record.marker)) {
      return {
        kind: record.kind,
        where,
        delay: staleReads === 0 ? 0 : startedAt - record.respondedAt,
        staleReads,
      };
    }
    staleReads += 1;
    if (performance.now() - record.respondedAt > timeoutMs) {
      return { kind: record.kind, where, delay: null, staleReads };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ——— Sockets ———

export type SocketClients = {
  sockets: ClientSocket[];
  topicOf: number[];
  received: Array<Set<number>>;
  disconnected: () => number;
  close: () => void;
};

/** `count` socket.io clients (WebSocket only, through the proxy), spread over the topics. */
export async function openSockets(proxyOrigin: string, corpus: Corpus, count: number) {
  const clients: SocketClients = {
    sockets: [],
    topicOf: [],
    received: [],
    disconnected: () => lost,
    close: () => clients.sockets.forEach((socket) => socket.close()),
  };
  let lost = 0;
  let closing = false;
  const open = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const topic = corpus.topics[i % corpus.topics.length]!;
      const member = corpus.members[i % corpus.members.length]!;
      const socket = connectSocket(proxyOrigin, {
        transports: ["websocket"],
        extraHeaders: { Origin: proxyOrigin, Cookie: member.cookie },
        reconnection: false,
        forceNew: true,
      }) as ClientSocket;
      const received = new Set<number>();
      socket.on("post:created", (event) => received.add(event.post.id));
      socket.once("connect_error", reject);
      socket.once("connect", () => {
        socket.emit("topic:join", topic.id, (result) => {
          if (!result.ok) return reject(new Error(`topic:join refusé (${topic.id})`));
          socket.on("disconnect", () => {
            if (!closing) lost += 1;
          });
          clients.sockets.push(socket);
          clients.topicOf.push(topic.id);
          clients.received.push(received);
          resolve();
        });
      });
    });
  for (let start = 0; start < count; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - start) }, (_, k) => open(start + k)),
    );
  }
  const close = clients.close;
  clients.close = () => {
    closing = true;
    close();
  };
  return clients;
}

/** Deliveries missing: for each client, the replies of its topic it never received. */
export function missingDeliveries(clients: SocketClients, writes: WriteRecord[]) {
  const byTopic = new Map<number, number[]>();
  for (const w of writes) {
    if (w.kind !== "reply" || w.topicId === undefined || w.postId === undefined) continue;
    byTopic.set(w.topicId, [...(byTopic.get(w.topicId) ?? []), w.postId]);
  }
  let expected = 0;
  let missing = 0;
  clients.topicOf.forEach((topicId, i) => {
    for (const postId of byTopic.get(topicId) ?? []) {
      expected += 1;
      if (!clients.received[i]!.has(postId)) missing += 1;
    }
  });
  return { expected, missing };
}
