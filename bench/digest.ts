/**
 * `npm run bench:digest`: time and peak memory to build the weekly résumés of BENCH_MEMBERS
 * members (10,000 by default; target under 60 s and under 300 MB), on a week of synthetic
 * activity: initiatives, events, forum posts, follows and notifications spread over France.
 * Runs on its own throw-away PostgreSQL; the résumés are queued, not sent.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

import { progress } from "../scripts/progress";
import { printTable, startBenchEnvironment } from "./lib";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const CHUNK = 1_000;

// A small deterministic generator: the same data on every run.
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pickOne = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const pickSome = <T>(list: readonly T[], most: number) => [
  ...new Set(Array.from({ length: 1 + Math.floor(random() * most) }, () => pickOne(list))),
];

const env = await startBenchEnvironment({ app: false, importCollectivities: false });
try {
  const { db } = await import("../db/client");
  const schema = await import("../db/schema");
  const { randomId } = await import("../app/utils/ids.server");
  const { themeSlugs } = await import("../app/utils/themes");
  const { preferenceKinds } = await import("../app/utils/notification-preferences");
  const { ensureForumCategories } = await import("../scripts/seed/forums");

  const end = new Date();
  const start = new Date(end.getTime() - WEEK_MS);
  const inWeek = () => new Date(start.getTime() + random() * WEEK_MS);
  const insertAll = async <T>(
    label: string,
    rows: T[],
    write: (chunk: T[]) => Promise<unknown>,
  ) => {
    const bar = progress(label, rows.length);
    for (let from = 0; from < rows.length; from += CHUNK) {
      await write(rows.slice(from, from + CHUNK));
      bar.update(Math.min(rows.length, from + CHUNK));
    }
    bar.finish();
  };

  // 300 communes over 95 départements and 13 régions: no directory import, so that the memory
  // measured is the worker's, not the COG's.
  const places = Array.from({ length: 300 }, (_, i) => ({
    code: `B${String(i).padStart(4, "0")}`,
    departmentCode: String(1 + (i % 95)).padStart(2, "0"),
    regionCode: String(11 + (i % 13)),
  }));
  await db.insert(schema.collectivities).values(
    places.map((place, i) => ({
      ...place,
      kind: "commune" as const,
      name: `Commune ${i}`,
      searchName: `commune ${i}`,
    })),
  );
  const communes = places.map((place) => place.code);

  // Members, written directly (no argon2): the benchmark measures the résumés.
  const memberIds = Array.from({ length: MEMBERS }, () => randomId());
  await insertAll("Membres", memberIds, async (ids) => {
    await db.insert(schema.users).values(
      ids.map((id, i) => ({
        id,
        email: `membre-${id}@exemple.fr`,
        name: `Membre ${i}`,
        passwordHash: "bench-only",
        profileKind: "agent" as const,
      })),
    );
    await db.insert(schema.memberships).values(
      ids.map((userId) => ({
        id: randomId(),
        userId,
        collectivityCode: pickOne(communes),
        status: "approved" as const,
      })),
    );
    // Most keep the defaults; some choose themes, a daily pace, or nothing at all.
    const chosen = ids.filter(() => random() < 0.6);
    if (chosen.length > 0) {
      await db.insert(schema.notificationPreferences).values(
        chosen.map((userId) => {
          const roll = random();
          const pace = roll < 0.1 ? "never" : roll < 0.25 ? "daily" : "weekly";
          return {
            userId,
            themes: pickSome(themeSlugs, 3),
            frequencies: Object.fromEntries(preferenceKinds.map((kind) => [kind, pace])),
          };
        }),
      );
    }
  });

  await insertAll(
    "Initiatives",
    Array.from({ length: 400 }, (_, i) => i),
    (chunk) =>
      db.insert(schema.initiatives).values(
        chunk.map((i) => ({
          id: randomId(),
          slug: `initiative-banc-${i}`,
          collectivityCode: pickOne(communes),
          title: `Initiative de la semaine numéro ${i}`,
          summary: "Un résumé de l'initiative, assez long pour ressembler à un vrai résumé.",
          themes: pickSome(themeSlugs, 2),
          status: "published" as const,
          publishedAt: inWeek(),
        })),
      ),
  );
  await insertAll(
    "Événements",
    Array.from({ length: 150 }, (_, i) => i),
    (chunk) =>
      db.insert(schema.events).values(
        chunk.map((i) => {
          const place = pickOne(places);
          const startsAt = new Date(end.getTime() + (2 + random() * 40) * 86_400_000);
          return {
            id: randomId(),
            slug: `evenement-banc-${i}`,
            collectivityCode: place.code,
            communeCode: place.code,
            departmentCode: place.departmentCode,
            regionCode: place.regionCode,
            title: `Atelier numéro ${i}`,
            themes: pickSome(themeSlugs, 2),
            format: "presentiel" as const,
            startsAt,
            endsAt: new Date(startsAt.getTime() + 7_200_000),
            status: "published" as const,
            publishedAt: inWeek(),
          };
        }),
      ),
  );

  await ensureForumCategories(db);
  const categories = await db
    .select({ id: schema.forumCategories.id })
    .from(schema.forumCategories);
  const topics = await db
    .insert(schema.forumTopics)
    .values(
      Array.from({ length: 300 }, (_, i) => ({
        categoryId: pickOne(categories).id,
        title: `Discussion numéro ${i}`,
        slug: `discussion-${i}`,
        authorId: pickOne(memberIds),
        lastActivityAt: end,
      })),
    )
    .returning({ id: schema.forumTopics.id, categoryId: schema.forumTopics.categoryId });
  await insertAll(
    "Messages",
    Array.from({ length: 5_000 }, () => 0),
    (chunk) =>
      db.insert(schema.forumPosts).values(
        chunk.map(() => ({
          topicId: pickOne(topics).id,
          authorId: pickOne(memberIds),
          body: "Un message.",
          html: "<p>Un message.</p>",
          createdAt: inWeek(),
        })),
      ),
  );
  type Follow = typeof schema.forumFollows.$inferInsert;
  const follows = memberIds.flatMap((userId): Follow[] => {
    if (random() < 0.05) return [{ userId, categoryId: pickOne(categories).id, level: "watching" }];
    if (random() < 0.35) {
      return pickSome(topics, 3).map((topic) => ({ userId, topicId: topic.id, level: "watching" }));
    }
    return [];
  });
  await insertAll("Abonnements", follows, (chunk) => db.insert(schema.forumFollows).values(chunk));
  await insertAll(
    "Notifications",
    Array.from({ length: 20_000 }, () => 0),
    (chunk) =>
      db.insert(schema.notifications).values(
        chunk.map(() => ({
          userId: pickOne(memberIds),
          kind: pickOne(["mention", "reply"] as const),
          text: "Quelqu'un vous a répondu dans « Une discussion »",
          url: "/forums/vie-du-reseau/1-une-discussion",
          createdAt: inWeek(),
        })),
      ),
  );

  // The résumés are built in a process of their own, like the worker: the memory measured is
  // theirs, not that of the data generated above.
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", path.join(import.meta.dirname, "digest-run.ts")],
    {
      env: {
        ...process.env,
        BENCH_PERIOD_START: start.toISOString(),
        BENCH_PERIOD_END: end.toISOString(),
      },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const line = child.stdout.trim().split("\n").at(-1) ?? "";
  if (child.status !== 0 || !line.startsWith("{")) {
    throw new Error(`les résumés n'ont pas été construits (code ${String(child.status)})`);
  }
  const { queued, seconds, before, peakRss, peakHeap } = JSON.parse(line) as {
    queued: number;
    seconds: number;
    before: { rss: number };
    peakRss: number;
    peakHeap: number;
  };
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  printTable(`Résumés hebdomadaires de ${MEMBERS} membres (objectif : < 60 s, < 300 Mo)`, [
    {
      membres: MEMBERS,
      "résumés mis en file": queued,
      secondes: seconds.toFixed(1),
      "ms par membre": ((seconds * 1000) / MEMBERS).toFixed(2),
      "RSS au départ (Mo)": mb(before.rss),
      "pic RSS (Mo)": mb(peakRss),
      "pic tas JS (Mo)": mb(peakHeap),
    },
  ]);
  console.log(
    `\n${queued} résumés construits en ${seconds.toFixed(1)} s, pic de mémoire ${mb(peakRss)} Mo.`,
  );
} finally {
  await env.close();
}
