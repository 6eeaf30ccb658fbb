/**
 * The federated part of `npm run bench:search`: forum replies (BENCH_POSTS, 50,000, in topics of
 * 30) and events (BENCH_EVENTS, 5,000) written in bulk into PostgreSQL (seeded texts) beside the
 * initiatives already indexed, then indexed by the project's reindex, with the whole directory;
 * then `/recherche?q=` for a signed-in member at `clients` concurrent clients beside the very same
 * multi-search sent straight to Meilisearch, and the delay from a new reply, written through the
 * API and indexed through the outbox by the running indexer, to its being found by
 * `/api/v1/search`.
 */
import { progress } from "../scripts/progress";
import { createMembers, type Member } from "./corpus";
import { closedLoopRound, emptySample, sampleSummary, waitForIndexing } from "./lib";

const POSTS = Number(process.env.BENCH_POSTS ?? 50_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000);
const POSTS_PER_TOPIC = 30;

const queries = [
  "mediation numerique",
  "conseil municipal en direct",
  "fibre",
  "données ouvertes",
  "budget participatif",
  "retour d'expérience",
  "assises du numérique",
  "tiers lieu",
  "formation des agents",
  "vannes",
];

type Options = {
  appOrigin: string;
  meiliUrl: string;
  meiliHeaders: Record<string, string>;
  databaseUrl: string;
  clients: number;
  seconds: number;
  rounds: number;
};

/** Repeats until a new reply's unique word finds that very reply; the delay in ms. */
async function replyFoundDelay(origin: string, author: Member, topicId: number, trial: number) {
  const word = `zorglub${trial}${Date.now().toString(36)}`;
  const response = await fetch(`${origin}/api/v1/topics/${topicId}/posts`, {
    method: "POST",
    headers: { authorization: `Bearer ${author.token}`, "content-type": "application/json" },
    body: JSON.stringify({ body: `Une réponse écrite pendant la mesure : ${word}.` }),
  });
  if (response.status !== 201) throw new Error(`réponse refusée (${response.status})`);
  const posted = performance.now();
  const postedAt = Date.now();
  const { id } = (await response.json()) as { id: number };
  for (;;) {
    const found = (await (
      await fetch(`${origin}/api/v1/search?q=${word}&types=posts`, {
        headers: { authorization: `Bearer ${author.token}` },
      })
    ).json()) as { items: Array<{ id: string }>; totals: unknown; degraded: boolean };
    if (found.items.some((item) => item.id === String(id)))
      return { id, postedAt, foundAt: Date.now(), delay: performance.now() - posted };
    if (performance.now() - posted > 30_000)
      throw new Error(
        `réponse ${id} introuvable après 30 s : ${JSON.stringify({ ...found, items: found.items.map((item) => item.id) })}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Until Meilisearch has no task left in its queue (the directory is tens of thousands of them). */
async function waitForMeilisearchIdle(meiliUrl: string, headers: Record<string, string>) {
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${meiliUrl}/tasks?statuses=enqueued,processing&limit=1`, {
      headers,
    });
    const { results } = (await response.json()) as { results: unknown[] };
    if (results.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("Meilisearch n'a pas fini d'indexer en 15 minutes");
}

/** Runs with the search indexer started by the caller; returns the rows of the table. */
export async function federatedRows(options: Options): Promise<Array<[string, string]>> {
  const { federatedRequest } = await import("../search/federated");
  const { syncDirectoryIndex } = await import("../search/directory");
  const { searchKinds } = await import("../app/utils/search-kinds");

  const members = await createMembers(20);
  const topics = Math.ceil(POSTS / POSTS_PER_TOPIC);
  const started = performance.now();
  const { db } = await import("../db/client");
  const { generateSyntheticForums } = await import("../scripts/seed/synthetic-forums");
  const { generateSyntheticEvents } = await import("../scripts/seed/synthetic-events");
  const { reindex } = await import("../search/reindex");
  const { POSTS_INDEX } = await import("../search/posts");
  const { TOPICS_INDEX } = await import("../search/topics");
  const { EVENTS_INDEX } = await import("../search/events");
  let bar = progress("Messages de forum", topics * POSTS_PER_TOPIC);
  const topicIds = await generateSyntheticForums(db, {
    topics,
    postsPerTopic: POSTS_PER_TOPIC,
    authorIds: members.map((member) => member.id),
    categorySlugs: ["vie-du-reseau", "inclusion-numerique", "services-en-ligne"],
    onProgress: (done) => bar.update(done),
  });
  bar.finish();
  bar = progress("Événements", EVENTS);
  await generateSyntheticEvents(db, {
    count: EVENTS,
    organisers: members.filter((member) => member.organiser),
    capacity: 50,
    onProgress: (done) => bar.update(done),
  });
  bar.finish();
  const generated = (performance.now() - started) / 1000;
  // The replies only: a topic's first post is its own document's text.
  const sizes = [
    [POSTS_INDEX, topics * (POSTS_PER_TOPIC - 1)],
    [TOPICS_INDEX, topics],
    [EVENTS_INDEX, EVENTS],
  ] as const;
  for (const [base, documents] of sizes) {
    bar = progress(`Réindexation (${base})`, documents);
    await reindex(base, { onProgress: (done) => bar.update(done) });
    bar.finish();
  }
  // The members' own documents go through the outbox and the running indexer.
  await waitForIndexing(options.databaseUrl);
  await syncDirectoryIndex();
  // Measured once indexing is over, so that neither side waits behind the directory's batches.
  await waitForMeilisearchIdle(options.meiliUrl, options.meiliHeaders);
  const rows: Array<[string, string]> = [
    [
      "Corpus fédéré (SQL, réindexé)",
      `${(topics * POSTS_PER_TOPIC).toLocaleString("fr-FR")} messages, ${EVENTS.toLocaleString("fr-FR")} événements écrits en ${generated.toFixed(0)} s, indexés avec l'annuaire en ${((performance.now() - started) / 1000 - generated).toFixed(0)} s`,
    ],
  ];

  // A signed-in member without roles: the page's own cache never answers for them.
  const viewer = members[1] ?? members[0]!;
  const pageUrl = (i: number) =>
    `${options.appOrigin}/recherche?${new URLSearchParams({ q: queries[i % queries.length]! })}`;
  // The page's overview request (50 hits of every kind), as the page builds it.
  const bodies = queries.map((q) =>
    JSON.stringify(
      federatedRequest({
        q,
        kinds: searchKinds,
        viewer: { roles: ["member"], grantedCategorySlugs: [], grantedTopicIds: [] },
        offset: 0,
        limit: 50,
      }),
    ),
  );
  const meili = (i: number) =>
    fetch(`${options.meiliUrl}/multi-search`, {
      method: "POST",
      headers: options.meiliHeaders,
      body: bodies[i % bodies.length],
    });
  const page = (i: number) => fetch(pageUrl(i), { headers: { cookie: viewer.cookie } });
  for (let i = 0; i < queries.length * 2; i += 1) {
    await (await page(i)).arrayBuffer();
    await (await meili(i)).arrayBuffer();
  }
  const meiliSample = emptySample();
  const pageSample = emptySample();
  for (let r = 0; r < options.rounds; r += 1) {
    const seconds = options.seconds / options.rounds;
    await closedLoopRound(options.clients, meili, seconds, meiliSample);
    await closedLoopRound(options.clients, page, seconds, pageSample);
  }

  const trials = [];
  for (let trial = 0; trial < 10; trial += 1) {
    const topicId = topicIds[trial % topicIds.length]!;
    trials.push(await replyFoundDelay(options.appOrigin, viewer, topicId, trial));
  }
  if (process.env.BENCH_VERBOSE) await printTimelines(options, trials);
  const delays = trials.map((trial) => trial.delay).sort((a, b) => a - b);

  const viaMeili = sampleSummary(meiliSample);
  const viaPage = sampleSummary(pageSample);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  rows.push(
    [
      `Multi-search fédérée direct, ${options.clients} clients`,
      `p50 ${ms(viaMeili.p50)}, p95 ${ms(viaMeili.p95)}, ${viaMeili.rps.toFixed(0)} req/s, ${viaMeili.errors} erreurs`,
    ],
    [
      `Page /recherche?q= (membre), ${options.clients} clients`,
      `p50 ${ms(viaPage.p50)}, p95 ${ms(viaPage.p95)}, ${viaPage.rps.toFixed(0)} req/s, ${viaPage.errors} erreurs`,
    ],
    [
      "p95 page / p95 Meilisearch",
      `${(viaPage.p95 / viaMeili.p95).toFixed(2)} × (objectif ≤ 1,3 ×)`,
    ],
    [
      "Réponse → trouvée par /api/v1/search (10 essais)",
      `médiane ${delays[5]!.toFixed(0)} ms, max ${delays.at(-1)!.toFixed(0)} ms (objectif < 2 000 ms)`,
    ],
  );
  return rows;
}

type Trial = { id: number; postedAt: number; foundAt: number; delay: number };
type MeiliTask = {
  uid: number;
  indexUid: string;
  type: string;
  enqueuedAt: string;
  startedAt: string;
  finishedAt: string;
  batchUid: number;
};

/** Meilisearch's own account of a batch: how long each step of its work took. */
async function slowestSteps(options: Options, batchUid: number) {
  const response = await fetch(`${options.meiliUrl}/batches/${batchUid}`, {
    headers: options.meiliHeaders,
  });
  const batch = (await response.json()) as { stats: { progressTrace?: Record<string, string> } };
  const millis = (duration: string) => {
    const [, value, unit] = /^([\d.]+)(ms|s|µs|ns)$/.exec(duration) ?? [];
    const scale: Record<string, number> = { s: 1000, ms: 1, µs: 1e-3, ns: 1e-6 };
    return Number(value ?? 0) * (scale[unit ?? ""] ?? 0);
  };
  // The leaves: a step's parents add up their children.
  const steps = Object.entries(batch.stats.progressTrace ?? {});
  return steps
    .filter(([name]) => !steps.some(([other]) => other.startsWith(`${name} > `)))
    .sort(([, a], [, b]) => millis(b) - millis(a))
    .slice(0, 3)
    .map(([name, duration]) => `${name.split(" > ").slice(-2).join(" > ")} ${duration}`)
    .join(", ");
}

/** Where each trial spent its time: outbox row, worker, Meilisearch tasks, then found. */
async function printTimelines(options: Options, trials: Trial[]) {
  const postgres = (await import("postgres")).default;
  const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const since = new Date(trials[0]!.postedAt - 5000).toISOString();
  const response = await fetch(`${options.meiliUrl}/tasks?afterEnqueuedAt=${since}&limit=1000`, {
    headers: options.meiliHeaders,
  });
  const tasks = ((await response.json()) as { results: MeiliTask[] }).results.reverse();
  const at = (iso: string) => Date.parse(iso);
  for (const trial of trials) {
    const [row] = await sql<Array<{ created: Date; processed: Date | null }>>`
      select created_at as created, processed_at as processed from outbox
      where index_base = 'posts' and document_id = ${String(trial.id)} order by id limit 1`;
    const start = row!.created.getTime();
    const mine = tasks.filter(
      (task) => at(task.enqueuedAt) >= start - 50 && at(task.enqueuedAt) <= trial.foundAt,
    );
    const steps = [];
    for (const task of mine) {
      const took = at(task.finishedAt) - at(task.startedAt);
      steps.push(
        `${task.indexUid}#${task.uid} enq +${at(task.enqueuedAt) - start} start +${at(task.startedAt) - start} fin +${at(task.finishedAt) - start}` +
          (took > 300 ? ` (${await slowestSteps(options, task.batchUid)})` : ""),
      );
    }
    console.error(
      `réponse ${trial.id} : ${trial.delay.toFixed(0)} ms ; outbox → pris +${(row!.processed?.getTime() ?? NaN) - start} ; ${steps.join(" | ")} ; trouvée +${trial.foundAt - start}`,
    );
  }
  await sql.end({ timeout: 5 });
}
