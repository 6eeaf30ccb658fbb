/**
 * `npm run bench:realtime`: 1,000 socket.io clients in one forum topic room, on one app instance
 * and then spread over two (rooms shared by the postgres adapter). For at least 20 replies, the
 * delay from sending the POST to each client's receipt of `post:created`; the same clients
 * measured against a bare socket.io broadcast (the floor); and the topic page (30 posts) rendered
 * under autocannon at 20 connections; then one instance is killed under 1,000 clients, which
 * come back on the other one and catch up.
 * Targets: app p99 <= floor p99 + 50 ms (one instance), + 100 ms (two); page p99 < 100 ms;
 * every client back and caught up within 30 s (RELIABILITY.md, recovery).
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { io as connectSocket } from "socket.io-client";

import type { ClientSocket } from "../realtime/topic-client";
import { startServices } from "../scripts/services";
import {
  measurePage,
  ms,
  pageRow,
  percentile,
  postgresPid,
  printTable,
  startServerProcess,
  type ServerProcess,
} from "./lib";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const POSTS = Number(process.env.BENCH_POSTS ?? 25);
// Clients are spread over the readers' sessions: at most 10 sockets each, well under the limit of
// sockets per person (a closed socket may still count while the next one connects).
const READERS = Math.max(50, Math.ceil(CLIENTS / 10));

const progress = (line: string) => process.stderr.write(`${line}\n`);

// ——— Services and data ———
const dataDir = await mkdtemp(path.join(tmpdir(), "territoires-bench-rt-"));
await chmod(dataDir, 0o755);
const services = await startServices({
  dataDir,
  ephemeral: true,
  env: { PATH: process.env.PATH, MEILI_BIN: process.env.MEILI_BIN },
});
const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  ...services.env,
  NODE_ENV: "production" as const,
  LOG_LEVEL: "silent",
  RATE_LIMITS: "false",
  SEARCH_INDEXER: "false",
  HOST: "127.0.0.1",
};
Object.assign(process.env, baseEnv);
const servers: ServerProcess[] = [];

async function cleanup() {
  await Promise.all(servers.map((server) => server.stop()));
  await services.stop();
  await rm(dataDir, { recursive: true, force: true });
}

try {
  const { runMigrations } = await import("../db/migrate");
  await runMigrations(services.env.DATABASE_URL);
  const { db } = await import("../db/client");
  const { collectivities } = await import("../db/schema");
  const { ensureForumCategories } = await import("../scripts/seed/forums");
  const { createAccount, upsertAdmin } = await import("../app/models/accounts.server");
  const { createApiToken, createSession } = await import("../app/utils/auth.server");
  const { createPost, createTopic } = await import("../app/models/forum-posts.server");

  await db
    .insert(collectivities)
    .values({ code: "56260", kind: "commune", name: "Vannes", searchName: "vannes" })
    .onConflictDoNothing();
  await ensureForumCategories(db);
  const admin = await upsertAdmin({
    email: "admin@bench.fr",
    password: "une phrase de passe solide",
    name: "Admin",
  });
  const people = [];
  for (let i = 0; i < READERS + 1; i += 1) {
    const created = await createAccount({
      email: `lecteur${i}@bench.fr`,
      password: "une phrase de passe solide",
      name: `Lectrice ${i}`,
      jobTitle: "Agente",
      profileKind: "agent",
      collectivityCode: "56260",
      approvedBy: admin.userId,
    });
    if (!created.ok) throw new Error("account");
    people.push({
      id: created.value.userId,
      name: `Lectrice ${i}`,
      email: `lecteur${i}@bench.fr`,
      roles: ["member" as const],
      profileKind: "agent" as const,
      jobTitle: "Agente",
    });
  }
  const poster = people[0]!;
  const topic = await createTopic(poster, {
    categorySlug: "vie-du-reseau",
    title: "Sujet de mesure des performances",
    body: "Premier message, avec du **markdown** et un [lien](https://exemple.fr).",
  });
  if (!topic.ok) throw new Error("topic");
  const topicId = topic.value.topicId;
  for (let i = 0; i < 40; i += 1) {
    await createPost(people[1 + (i % READERS)]!, {
      topicId,
      body: `Réponse ${i} : retour d'expérience sur le **budget participatif**, avec une liste :\n\n- un\n- deux\n\n> une citation`,
    });
  }
  const token = (await createApiToken(poster.id, "bench")).token;
  const cookies = await Promise.all(
    people.slice(1).map(async (p) => (await createSession(p.id)).split(";")[0]!),
  );
  const { closeDatabase } = await import("../db/client");
  await closeDatabase();

  const startServer = async (mode: "app" | "bare") => {
    const server = await startServerProcess(
      mode === "app" ? "bench/app-server.ts" : "bench/bare-socket-server.ts",
      baseEnv,
      "/tmp/rt-prof",
    );
    servers.push(server);
    return server;
  };

  type Receipt = { at: number };
  const receipts = new Map<number, Receipt[]>();

  /** A client as a browser opens it; resolves once connected and, with `join`, in the topic. */
  function openSocket(origin: string, cookie: string, join: boolean) {
    const socket = connectSocket(origin, {
      transports: ["websocket"],
      extraHeaders: { Origin: origin, Cookie: cookie },
      reconnection: false,
      forceNew: true,
    }) as ClientSocket;
    return new Promise<ClientSocket>((resolve, reject) => {
      const fail = (error: Error) => {
        socket.close();
        reject(error);
      };
      socket.once("connect", () => {
        if (!join) return resolve(socket);
        socket.emit("topic:join", topicId, (result) =>
          result.ok ? resolve(socket) : fail(new Error("join refused")),
        );
      });
      socket.once("connect_error", fail);
    });
  }

  async function connectClients(origins: string[], join: boolean) {
    const sockets: ClientSocket[] = [];
    for (let start = 0; start < CLIENTS; start += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, CLIENTS - start) }, async (_, k) => {
          const i = start + k;
          const socket = await openSocket(
            origins[i % origins.length]!,
            cookies[i % cookies.length]!,
            join,
          );
          socket.on("post:created", (event) => {
            const at = performance.now();
            // Events may arrive before the POST has answered with the id.
            let list = receipts.get(event.post.id);
            if (!list) receipts.set(event.post.id, (list = []));
            list.push({ at });
          });
          return socket;
        }),
      );
      sockets.push(...batch);
    }
    progress(`  ${sockets.length} clients connectés`);
    return sockets;
  }

  async function waitAll(id: number, timeoutMs = 10_000) {
    const started = performance.now();
    while ((receipts.get(id)?.length ?? 0) < CLIENTS) {
      if (performance.now() - started > timeoutMs) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Sends `POSTS` messages one after the other; returns every receipt delay and the last-client delays. */
  async function run(send: (i: number) => Promise<number>) {
    const all: number[] = [];
    const lasts: number[] = [];
    let missing = 0;
    for (let i = 0; i < POSTS + 3; i += 1) {
      const t0 = performance.now();
      const id = await send(i);
      await waitAll(id);
      const got = receipts.get(id) ?? [];
      // The first three posts warm up caches and connections and are not counted.
      if (i >= 3) {
        missing += CLIENTS - got.length;
        const delays = got.map((r) => r.at - t0);
        all.push(...delays);
        lasts.push(Math.max(...delays));
      }
      receipts.delete(id);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    all.sort((a, b) => a - b);
    return { all, lasts, missing };
  }

  const postReply = (origin: string) => async (i: number) => {
    const response = await fetch(`${origin}/api/v1/topics/${topicId}/posts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ body: `Mesure ${i} : une réponse de longueur *ordinaire*.` }),
    });
    if (response.status !== 201) throw new Error(`POST ${response.status}`);
    return ((await response.json()) as { id: number }).id;
  };

  const results: Array<Record<string, string | number>> = [];
  const row = (label: string, r: Awaited<ReturnType<typeof run>>) => {
    progress(
      `  dernier client, message par message (ms) : ${r.lasts.map((v) => v.toFixed(0)).join(" ")}`,
    );
    const lasts = [...r.lasts].sort((a, b) => a - b);
    results.push({
      scénario: label,
      messages: r.lasts.length,
      réceptions: r.all.length,
      "p50 (ms)": ms(percentile(r.all, 50)),
      "p99 (ms)": ms(percentile(r.all, 99)),
      "max (ms)": ms(r.all.at(-1) ?? 0),
      "dernier client p50 (ms)": ms(percentile(lasts, 50)),
      manquants: r.missing,
    });
    return percentile(r.all, 99);
  };

  // Bare socket.io floor.
  progress("Socket.io nu (plancher)…");
  const bare = await startServer("bare");
  let sockets = await connectClients([bare.origin], false);
  let counter = 1_000_000;
  const floorP99 = row(
    "socket.io nu, 1 processus",
    await run(async () => {
      counter += 1;
      const id = counter;
      const response = await fetch(bare.origin, {
        method: "POST",
        body: JSON.stringify({
          topicId,
          post: {
            id,
            author: { id: poster.id, name: poster.name },
            html: "<p>Mesure : une réponse de longueur <em>ordinaire</em>.</p>",
            createdAt: new Date().toISOString(),
          },
        }),
      });
      await response.arrayBuffer();
      return id;
    }),
  );
  for (const socket of sockets) socket.close();
  await bare.stop();

  // One app instance.
  progress("Application, une instance…");
  const first = await startServer("app");
  sockets = await connectClients([first.origin], true);
  const oneP99 = row("application, 1 instance", await runApp([first.origin]));
  for (const socket of sockets) socket.close();

  // Two app instances sharing rooms through PostgreSQL.
  progress("Application, deux instances…");
  const second = await startServer("app");
  sockets = await connectClients([first.origin, second.origin], true);
  const twoP99 = row("application, 2 instances", await runApp([first.origin, second.origin]));
  for (const socket of sockets) socket.close();

  async function runApp(origins: string[]) {
    // With two instances, replies alternate between them: half the clients are always remote.
    const senders = origins.map(postReply);
    return run((i) => senders[i % senders.length]!(i));
  }

  // Topic page rendering, measured as bench:pages measures every page: beside latency, the CPU
  // time per request of the app and PostgreSQL (from /proc), which unlike latency does not
  // depend much on what else the two cores are doing.
  progress("Rendu de la page d'un sujet (autocannon)…");
  const pagePath = `/forums/vie-du-reseau/${topicId}-sujet-de-mesure-des-performances?page=1`;
  const processes = { app: [first.pid], postgres: await postgresPid(services.env.DATABASE_URL) };
  const loadPage = (pagePathname: string, seconds: number, cookie?: string) =>
    measurePage(`${first.origin}${pagePathname}`, {
      processes,
      seconds,
      connections: 20,
      headers: cookie ? { cookie } : {},
    });
  const page = await loadPage(pagePath, 10, cookies[0]);
  const anonymous = await loadPage(pagePath, 5);
  // The same load on a page with no data: what this machine allows any page at that moment.
  const reference = await loadPage("/accessibilite", 5, cookies[0]);
  // Failover: an instance dies under its clients. Like browsers behind a load balancer, each one
  // comes back on the surviving instance with socket.io's randomised reconnection delays, joins
  // the topic again and catches up through the API. A reply written while they
  // are away must reach every one of them.
  progress(`Bascule : une instance tuée sous ${CLIENTS} clients…`);
  const stranded = await connectClients([second.origin], true);
  const topicApi = `${first.origin}/api/v1/topics/${topicId}/posts`;
  const lastBefore = (
    (await (
      await fetch(`${topicApi}?after=0&limit=1`, { headers: { cookie: cookies[0]! } })
    ).json()) as { lastPostId: number }
  ).lastPostId;
  let killedAt = 0;
  let resolveMissed: (id: number) => void = () => {};
  const missedPosted = new Promise<number>((resolve) => (resolveMissed = resolve));
  const back: number[] = [];
  let caughtUp = 0;
  let failures = 0;
  // Like socket.io's own reconnection: a first try after 0.5–1.5 s, then, after a failure,
  // twice the delay (at most 5 s, ±50 %), for a minute at most.
  const reconnectDelay = (attempt: number) =>
    Math.min(5000, 1000 * 2 ** attempt) * (0.5 + Math.random());
  const sleep = (milliseconds: number) =>
    new Promise((resolve) => setTimeout(resolve, milliseconds));
  const comeBack = async (i: number) => {
    const cookie = cookies[i % cookies.length]!;
    for (let attempt = 0; ; attempt += 1) {
      await sleep(reconnectDelay(attempt));
      try {
        const socket = await openSocket(first.origin, cookie, true);
        try {
          const missed = await missedPosted;
          const response = await fetch(`${topicApi}?after=${lastBefore}&limit=100`, {
            headers: { cookie },
          });
          if (!response.ok) throw new Error(`rattrapage ${response.status}`);
          const page = (await response.json()) as { items: Array<{ id: number }> };
          back.push(performance.now() - killedAt);
          if (page.items.some((post) => post.id === missed)) caughtUp += 1;
          return;
        } finally {
          socket.close();
        }
      } catch {
        if (performance.now() - killedAt > 60_000) {
          failures += 1;
          return;
        }
      }
    }
  };
  const returned = stranded.map(
    (socket, i) =>
      new Promise<void>((resolve) => socket.once("disconnect", () => resolve(comeBack(i)))),
  );
  killedAt = performance.now();
  await second.kill();
  resolveMissed(await postReply(first.origin)(POSTS + 100));
  await Promise.all(returned);
  back.sort((a, b) => a - b);
  const allBack = back.at(-1) ?? Infinity;
  await first.stop();

  printTable(
    `Délai POST d'une réponse → réception de post:created, ${CLIENTS} clients dans un sujet, ${POSTS} messages`,
    results,
  );
  printTable("Rendu de pages, 20 connexions (autocannon)", [
    pageRow("sujet, 30 messages, membre connecté (10 s)", page),
    pageRow("sujet, 30 messages, visiteur anonyme (5 s)", anonymous),
    pageRow("référence : /accessibilite, sans données (5 s)", reference),
  ]);
  printTable(`Bascule : instance tuée sous ${CLIENTS} clients, retour sur l'autre instance`, [
    {
      "revenus et à jour": back.length,
      "non revenus en 60 s": failures,
      "p50 (ms)": ms(percentile(back, 50)),
      "p99 (ms)": ms(percentile(back, 99)),
      "dernier (ms)": ms(allBack),
      "message écrit pendant la coupure reçu": `${caughtUp} / ${CLIENTS}`,
    },
  ]);
  printTable("Objectifs", [
    {
      objectif: "1 instance : p99 ≤ plancher + 50 ms",
      mesure: `${ms(oneP99)} ≤ ${ms(floorP99 + 50)}`,
      résultat: oneP99 <= floorP99 + 50 ? "atteint" : "MANQUÉ",
    },
    {
      objectif: "2 instances : p99 ≤ plancher + 100 ms",
      mesure: `${ms(twoP99)} ≤ ${ms(floorP99 + 100)}`,
      résultat: twoP99 <= floorP99 + 100 ? "atteint" : "MANQUÉ",
    },
    {
      objectif: "bascule : tous revenus en < 30 s, rien de perdu",
      mesure: `${ms(allBack)} ms, ${caughtUp} / ${CLIENTS}`,
      résultat: allBack < 30_000 && caughtUp === CLIENTS ? "atteint" : "MANQUÉ",
    },
    {
      objectif: "page de sujet : p99 < 100 ms",
      mesure: `${ms(page.p99)} ms`,
      résultat: page.p99 < 100 ? "atteint" : "MANQUÉ",
    },
  ]);
} finally {
  await cleanup();
}
process.exit(0);
