/**
 * `npm run bench:events`: registrations/s and latency for 500 members (`BENCH_MEMBERS`)
 * registering at once to one event through the API, then requests/s of the calendar feed with
 * 1,000 events. Runs on its own throw-away PostgreSQL and Meilisearch, and checks that the
 * registrations are all correct.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import autocannon from "autocannon";

import { parseConfig } from "../app/config.server";
import { freePort } from "../scripts/ports";
import { progress } from "../scripts/progress";
import { startServices } from "../scripts/services";
import { percentile } from "./lib";

// Sizes: `BENCH_MEMBERS=50 BENCH_CAPACITY=10 BENCH_FEED_EVENTS=100 BENCH_SECONDS=2` for a quick run.
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 500);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 100);
const FEED_EVENTS = Number(process.env.BENCH_FEED_EVENTS ?? 1_000);
const FEED_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), "territoires-bench-"));
  await chmod(dataDir, 0o755);
  const services = await startServices({
    dataDir,
    ephemeral: true,
    env: { NODE_ENV: "production", PATH: process.env.PATH, MEILI_BIN: process.env.MEILI_BIN },
  });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  Object.assign(process.env, services.env, {
    NODE_ENV: "production",
    LOG_LEVEL: "silent",
    PORT: String(port),
    APP_ORIGIN: origin,
  });
  let close = async () => {};
  try {
    const { runMigrations } = await import("../db/migrate");
    await runMigrations(services.env.DATABASE_URL);
    const { db } = await import("../db/client");
    const { importCollectivities } = await import("../db/collectivities-import");
    process.stderr.write("Import de l'annuaire…\n");
    await importCollectivities(db);

    const { createApp } = await import("../server");
    const app = await createApp(parseConfig(process.env));
    await app.listen(port, "127.0.0.1");
    close = () => app.close();

    const { users, memberships, events, eventRegistrations } = await import("../db/schema");
    const { createApiToken } = await import("../app/utils/auth.server");
    const { createEvent } = await import("../app/models/event-editing.server");
    const { randomId } = await import("../app/utils/ids.server");
    const { eq, sql } = await import("drizzle-orm");

    // Members are written directly (no argon2 for 500 accounts): the bench measures registering.
    const organiserId = randomId();
    const people = Array.from({ length: MEMBERS + 1 }, (_, i) => ({
      id: i === 0 ? organiserId : randomId(),
      email: `bench${i}@exemple.fr`,
      name: `Membre ${i}`,
      passwordHash: "bench-only",
      profileKind: "agent" as const,
      roles: (i === 0 ? ["member", "organiser"] : ["member"]) as Array<"member" | "organiser">,
    }));
    await db.insert(users).values(people);
    await db.insert(memberships).values({
      id: randomId(),
      userId: organiserId,
      collectivityCode: "60057",
      status: "approved",
    });
    const bar = progress("Jetons d'API", MEMBERS);
    const tokens: string[] = [];
    for (const [index, person] of people.slice(1).entries()) {
      tokens.push((await createApiToken(person.id, "bench")).token);
      bar.update(index + 1);
    }
    bar.finish();
    const organiser = {
      id: organiserId,
      email: "bench0@exemple.fr",
      name: "Membre 0",
      roles: ["member", "organiser"] as Array<"member" | "organiser">,
      profileKind: "agent" as const,
      jobTitle: "",
    };
    const base = {
      description: "Événement de mesure.",
      themes: ["cybersecurite"],
      format: "presentiel" as const,
      registrationDeadline: null,
      venue: "Hôtel de ville",
      communeCode: "60057",
      onlineUrl: null,
      status: "published" as const,
      programme: [],
      initiativeIds: [],
    };
    const created = await createEvent(organiser, {
      ...base,
      title: "Assises de la mesure de charge",
      startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 7 * 86_400_000 + 3_600_000).toISOString(),
      capacity: CAPACITY,
    });
    if (!created.ok) throw new Error(JSON.stringify(created));

    // ——— 500 registrations at once ———
    const latencies: number[] = [];
    const started = performance.now();
    const statuses = await Promise.all(
      tokens.map(async (token) => {
        const t0 = performance.now();
        const response = await fetch(`${origin}/api/v1/events/${created.value.id}/registrations`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        return response.status;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const rows = await db
      .select({ status: eventRegistrations.status })
      .from(eventRegistrations)
      .where(eq(eventRegistrations.eventId, created.value.id));
    const confirmed = rows.filter((r) => r.status === "confirmed").length;
    const waitlisted = rows.filter((r) => r.status === "waitlisted").length;
    const failed = statuses.filter((s) => s !== 201).length;

    // ——— Calendar feed with 1,000 events ———
    const feedRows = Array.from({ length: FEED_EVENTS - 1 }, (_, i) => {
      const start = new Date(Date.now() + ((i % 180) + 1) * 86_400_000);
      return {
        id: randomId(),
        slug: `evenement-de-mesure-${i}`,
        collectivityCode: "60057",
        createdBy: organiserId,
        title: `Atelier numérique n° ${i}`,
        description: "Un atelier **pratique** sur les démarches en ligne.",
        themes: ["services-en-ligne"],
        format: "presentiel" as const,
        startsAt: start,
        endsAt: new Date(start.getTime() + 2 * 3_600_000),
        timeZone: "Europe/Paris",
        venue: "Médiathèque",
        communeCode: "60057",
        departmentCode: "60",
        regionCode: "32",
        capacity: 30,
        status: "published" as const,
      };
    });
    await db.insert(events).values(feedRows);
    const [count] = await db
      .select({ total: sql<number>`count(*)::int` })
      .from(events)
      .where(sql`${events.status} = 'published'`);
    // The first request builds the feed; the next ones are served from the per-version cache.
    const coldStart = performance.now();
    const feedResponse = await fetch(`${origin}/evenements/calendrier.ics`);
    const feedBytes = (await feedResponse.arrayBuffer()).byteLength;
    const coldMs = performance.now() - coldStart;
    const feed = await autocannon({
      url: `${origin}/evenements/calendrier.ics`,
      connections: 8,
      duration: FEED_SECONDS,
    });

    const table = [
      ["mesure", "valeur"],
      [`inscriptions simultanées (jauge ${CAPACITY})`, String(MEMBERS)],
      ["durée totale", `${seconds.toFixed(2)} s`],
      ["inscriptions/s", (MEMBERS / seconds).toFixed(0)],
      ["latence p50", `${percentile(latencies, 50).toFixed(0)} ms`],
      ["latence p95", `${percentile(latencies, 95).toFixed(0)} ms`],
      ["latence p99", `${percentile(latencies, 99).toFixed(0)} ms`],
      ["réponses non 201", String(failed)],
      ["confirmées / en attente", `${confirmed} / ${waitlisted}`],
      [`flux iCal (${count?.total ?? 0} événements, ${(feedBytes / 1024).toFixed(0)} Ko)`, ""],
      ["première génération (sans cache)", `${coldMs.toFixed(0)} ms`],
      ["requêtes/s (même version, en cache)", feed.requests.average.toFixed(1)],
      ["latence p50", `${feed.latency.p50} ms`],
      ["latence p99", `${feed.latency.p99} ms`],
      ["erreurs", String(feed.errors + feed.non2xx)],
    ];
    const width = Math.max(...table.map(([label]) => label!.length));
    for (const [label, value] of table) console.log(`${label!.padEnd(width)}  ${value}`);
    const correct = confirmed === CAPACITY && waitlisted === MEMBERS - CAPACITY && failed === 0;
    console.log(
      correct
        ? `Résultat : ${(MEMBERS / seconds).toFixed(0)} inscriptions/s, aucune surréservation ; flux iCal ${feed.requests.average.toFixed(0)} requêtes/s.`
        : "Résultat : ÉCHEC — les inscriptions ne sont pas toutes correctes.",
    );
    if (!correct) process.exitCode = 1;
  } finally {
    await close();
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
