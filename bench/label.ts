/**
 * `npm run bench:label`: p95 of saving an answer and of rendering a section of a 150-question
 * questionnaire, at a fixed arrival rate (open loop), with the CPU each request costs the app and
 * PostgreSQL (from /proc); then 200 teams saving a whole section at once in the last hour before
 * the deadline, checking that no request failed and no answer was lost.
 *
 * Sizes: BENCH_TEAMS (200), BENCH_QUESTIONS (150), BENCH_RATE requests/s (20), BENCH_SECONDS (15).
 */
import { readdir, readFile } from "node:fs/promises";

import { ms, percentile, printTable, startBenchEnvironment, startServerProcess } from "./lib";

const TEAMS = Number(process.env.BENCH_TEAMS ?? 200);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 150);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const AUTOSAVE_ROUTE = encodeURIComponent("routes/label.candidatures.$id.$section");

/** utime + stime of a process, in milliseconds (clock ticks of 10 ms). */
async function cpuOf(pid: number) {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Our PostgreSQL: the postmaster listening on the bench's port, and its backends. */
async function postgresPids(port: string) {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
  const info = await Promise.all(
    pids.map(async (pid) => {
      try {
        const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replace(/\0/g, " ");
        const ppid = Number(
          (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ")[1],
        );
        return { pid, ppid, cmdline };
      } catch {
        return null;
      }
    }),
  );
  const postmaster = info.find((p) => p && /postgres/.test(p.cmdline) && p.cmdline.includes(port));
  if (!postmaster) return [];
  return info
    .filter((p) => p && (p.pid === postmaster.pid || p.ppid === postmaster.pid))
    .map((p) => p!.pid);
}

async function cpuTotal(pids: number[]) {
  let total = 0;
  for (const pid of pids) total += await cpuOf(pid);
  return total;
}

/** Sends `count` requests at a fixed rate whatever the answers' delay; exact percentiles. */
async function openLoop(count: number, send: (i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const at = started + (i * 1000) / RATE;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
      const t0 = performance.now();
      const ok = await send(i).catch(() => false);
      if (ok) latencies.push(performance.now() - t0);
      else errors += 1;
    }),
  );
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), errors };
}

/** The shape the models take for a person, for accounts written directly by the bench. */
const benchUser = (id: string) => ({
  id,
  email: "",
  name: "",
  roles: ["member" as const],
  profileKind: "agent" as const,
  jobTitle: "",
});

async function main() {
  process.stderr.write("Services, migrations et annuaire…\n");
  const env = await startBenchEnvironment();
  const { db } = await import("../db/client");
  const { collectivities, memberships, users, labelAnswers } = await import("../db/schema");
  const { eq, and, inArray, sql } = await import("drizzle-orm");
  const { importQuestionnaire } = await import("../app/models/label-questionnaires.server");
  const { createCampaign } = await import("../app/models/label-campaigns.server");
  const { registerApplication } = await import("../app/models/label-applications.server");
  const { getSection, answerHash } = await import("../app/models/label-answers.server");
  const { createSession } = await import("../app/utils/auth.server");
  const { randomId } = await import("../app/utils/ids.server");
  const { themeSlugs } = await import("../app/utils/themes");

  // A 150-question questionnaire, spread over the twelve enjeux.
  const perSection = Math.ceil(QUESTIONS / themeSlugs.length);
  const questionnaire = await importQuestionnaire({
    key: "bench",
    title: "Questionnaire du banc d'essai",
    sections: themeSlugs.map((theme, s) => ({
      theme,
      questions: Array.from({ length: perSection }, (_, q) => ({
        code: `b-${s}-${q}`,
        kind: q % 3 === 0 ? ("long_text" as const) : ("yesno" as const),
        prompt: `Question ${q + 1} de l'enjeu ${theme}, assez longue pour ressembler à une vraie ?`,
        help: "Une aide de quelques mots.",
        required: q % 4 === 0,
        weight: q % 3 === 0 ? 0 : 2,
        options: [],
        categories: ["village", "ville", "territoire", "departement"],
      })),
    })),
  });
  const now = Date.now();
  const year = 2099;
  await createCampaign({
    year,
    title: "Label du banc d'essai",
    opensAt: new Date(now - 86_400_000),
    registrationDeadline: new Date(now + 50 * 60_000),
    // The last hour before the deadline.
    submissionDeadline: new Date(now + 55 * 60_000),
    juryStartsAt: new Date(now + 2 * 3_600_000),
    juryEndsAt: new Date(now + 3 * 3_600_000),
    publishedAt: new Date(now + 4 * 3_600_000),
    questionnaireId: questionnaire.id,
  });

  process.stderr.write(`${TEAMS} équipes…\n`);
  const communes = await db
    .select({ code: collectivities.code })
    .from(collectivities)
    .where(eq(collectivities.kind, "commune"))
    .limit(TEAMS);
  const teams: Array<{ id: string; cookie: string; userId: string }> = [];
  for (const [i, commune] of communes.entries()) {
    const userId = randomId();
    // Written directly: no argon2 for hundreds of accounts, the bench measures the label.
    await db.insert(users).values({
      id: userId,
      email: `label-bench${i}@exemple.fr`,
      name: `Équipe ${i}`,
      passwordHash: "bench-only",
      profileKind: "agent",
    });
    await db.insert(memberships).values({
      id: randomId(),
      userId,
      collectivityCode: commune.code,
      status: "approved",
      isReferent: true,
    });
    const registered = await registerApplication(benchUser(userId), year, { carryOver: false });
    if (!registered.ok) throw new Error("inscription refusée");
    teams.push({
      id: registered.value.id,
      userId,
      cookie: (await createSession(userId)).split(";")[0]!,
    });
  }
  const sectionQuestions = new Map<string, Array<{ id: string; kind: string }>>();
  for (const slug of themeSlugs) {
    const section = (await getSection(benchUser(teams[0]!.userId), teams[0]!.id, slug))!;
    sectionQuestions.set(
      slug,
      section.questions.map((q) => ({ id: q.id, kind: q.kind })),
    );
  }
  const emptyHash = answerHash(null);

  const server = await startServerProcess("bench/app-server.ts", process.env, "/tmp/label-prof");
  const pgPort = new URL(process.env.DATABASE_URL!).port;
  const measured = async (count: number, send: (i: number) => Promise<boolean>) => {
    const pg = await postgresPids(pgPort);
    const appBefore = await cpuOf(server.pid);
    const pgBefore = await cpuTotal(pg);
    const stats = await openLoop(count, send);
    const appCpu = ((await cpuOf(server.pid)) - appBefore) / count;
    const pgCpu = ((await cpuTotal(pg)) - pgBefore) / count;
    return { ...stats, appCpu, pgCpu };
  };
  // As the page's autosave sends it: a fetcher's data request, which runs the action alone (no
  // page render, and the route skips revalidation after an autosave).
  const post = (team: (typeof teams)[number], slug: string, fields: Record<string, string>) =>
    fetch(`${server.origin}/label/candidatures/${team.id}/${slug}?_data=${AUTOSAVE_ROUTE}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: team.cookie,
        origin: server.origin,
      },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    });

  try {
    const count = RATE * SECONDS;
    // Warm-up: the first requests compile routes and fill caches.
    for (const team of teams.slice(0, 5)) {
      await fetch(`${server.origin}/label/candidatures/${team.id}/${themeSlugs[0]}`, {
        headers: { cookie: team.cookie },
      });
    }
    process.stderr.write("Enregistrement d'une réponse…\n");
    const save = await measured(count, async (i) => {
      const team = teams[i % teams.length]!;
      const slug = themeSlugs[Math.floor(i / teams.length) % themeSlugs.length]!;
      const question = sectionQuestions.get(slug)!.find((q) => q.kind === "yesno")!;
      const response = await post(team, slug, {
        autosave: "1",
        [`q-${question.id}`]: "oui",
        [`v-${question.id}`]: "0",
        [`h-${question.id}`]: emptyHash,
      });
      await response.arrayBuffer();
      return response.ok;
    });
    process.stderr.write("Affichage d'une section…\n");
    const render = await measured(count, async (i) => {
      const team = teams[i % teams.length]!;
      const slug = themeSlugs[i % themeSlugs.length]!;
      const response = await fetch(`${server.origin}/label/candidatures/${team.id}/${slug}`, {
        headers: { cookie: team.cookie },
      });
      await response.arrayBuffer();
      return response.ok;
    });

    process.stderr.write(`${teams.length} équipes enregistrent une section entière à la fois…\n`);
    const rushSlug = themeSlugs.at(-1)!;
    const rushQuestions = sectionQuestions.get(rushSlug)!;
    const t0 = performance.now();
    const statuses = await Promise.all(
      teams.map(async (team, i) => {
        const fields: Record<string, string> = { autosave: "1" };
        for (const q of rushQuestions) {
          fields[`q-${q.id}`] = q.kind === "yesno" ? "oui" : `Réponse de l'équipe ${i}`;
          fields[`v-${q.id}`] = "0";
          fields[`h-${q.id}`] = emptyHash;
        }
        const response = await post(team, rushSlug, fields);
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const rushSeconds = (performance.now() - t0) / 1000;
    const [stored] = await db
      .select({ count: sql<number>`count(*)`.mapWith(Number) })
      .from(labelAnswers)
      .where(
        and(
          inArray(
            labelAnswers.applicationId,
            teams.map((t) => t.id),
          ),
          inArray(
            labelAnswers.questionId,
            rushQuestions.map((q) => q.id),
          ),
        ),
      );
    const expected = teams.length * rushQuestions.length;

    printTable(
      `Label : ${QUESTIONS} questions, ${teams.length} équipes, ${RATE} requêtes/s pendant ${SECONDS} s (boucle ouverte)`,
      [
        {
          mesure: "Enregistrer une réponse",
          "p50 (ms)": ms(save.p50),
          "p95 (ms)": ms(save.p95),
          cible: "< 50",
          erreurs: save.errors,
          "CPU app / req (ms)": save.appCpu.toFixed(2),
          "CPU PostgreSQL / req (ms)": save.pgCpu.toFixed(2),
        },
        {
          mesure: "Afficher une section",
          "p50 (ms)": ms(render.p50),
          "p95 (ms)": ms(render.p95),
          cible: "< 100",
          erreurs: render.errors,
          "CPU app / req (ms)": render.appCpu.toFixed(2),
          "CPU PostgreSQL / req (ms)": render.pgCpu.toFixed(2),
        },
      ],
    );
    const failed = statuses.filter((s) => s !== 200).length;
    printTable("Dernière heure avant la date limite : toutes les équipes à la fois", [
      {
        équipes: teams.length,
        "durée (s)": rushSeconds.toFixed(1),
        erreurs: failed,
        "réponses attendues": expected,
        "réponses enregistrées": stored?.count ?? 0,
        perdues: expected - (stored?.count ?? 0),
      },
    ]);
    console.log(
      `\nRésumé : enregistrement p95 ${ms(save.p95)} ms, section p95 ${ms(render.p95)} ms, ${failed} erreur(s) et ${expected - (stored?.count ?? 0)} réponse(s) perdue(s) sur ${teams.length} équipes.`,
    );
    if (failed > 0 || stored?.count !== expected) process.exitCode = 1;
  } finally {
    await server.stop();
    await env.close();
  }
}

await main();
