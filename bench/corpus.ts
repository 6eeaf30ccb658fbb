/**
 * The data the page and load benchmarks read and write: members (model functions, as the admin
 * onboarding does), then initiatives, forum topics of 30 posts of about 100 French words, events
 * and registrations, all through the JSON API of a running instance, as clients would.
 * Deterministic texts (seeded), so that two runs compare the same corpus.
 */
import { progress } from "../scripts/progress";
import { random, syntheticText } from "../scripts/seed/synthetic-initiatives";

export type Member = {
  id: string;
  name: string;
  /** "ti_session=…", as a browser sends it. */
  cookie: string;
  token: string;
  collectivityCode: string;
  organiser: boolean;
};

export type Corpus = {
  members: Member[];
  initiatives: Array<{ id: string; slug: string; owner: Member }>;
  topics: Array<{ id: number; path: string; categorySlug: string }>;
  events: Array<{ id: string; slug: string }>;
  /** The collectivity whose page is measured (members, initiatives and events of its own). */
  collectivityCode: string;
};

export type CorpusSizes = {
  members: number;
  initiatives: number;
  topics: number;
  postsPerTopic: number;
  events: number;
  registrationsPerEvent: number;
  eventCapacity: number;
};

/** Sizes from BENCH_MEMBERS, BENCH_INITIATIVES, BENCH_TOPICS, BENCH_EVENTS, or the defaults. */
export function corpusSizes(defaults: CorpusSizes): CorpusSizes {
  const read = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  return {
    members: read("BENCH_MEMBERS", defaults.members),
    initiatives: read("BENCH_INITIATIVES", defaults.initiatives),
    topics: read("BENCH_TOPICS", defaults.topics),
    postsPerTopic: read("BENCH_POSTS_PER_TOPIC", defaults.postsPerTopic),
    events: read("BENCH_EVENTS", defaults.events),
    registrationsPerEvent: defaults.registrationsPerEvent,
    eventCapacity: defaults.eventCapacity,
  };
}

// Communes of the official directory: members, and so their content, are spread over them.
const COMMUNES = ["56260", "70299", "35238", "29019", "44109", "22278", "31555", "33063"];
const CATEGORIES = ["vie-du-reseau", "inclusion-numerique", "services-en-ligne"];
const THEMES = ["democratie-citoyennete", "administration-agents", "inclusion-mediation"];
const PASSWORD = "une phrase de passe de banc d'essai";

/** Runs `work` over `items`, `concurrency` at a time. */
export async function inParallel<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/** A JSON API call with a member's token; throws unless the status is the expected one. */
export async function callApi<T>(
  origin: string,
  member: Member,
  method: string,
  path: string,
  body?: unknown,
  expected = method === "POST" ? 201 : 200,
): Promise<T> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${member.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`${method} ${path} : HTTP ${response.status} ${text.slice(0, 300)}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Members through the model functions (approved at once, as an admin's bulk onboarding). */
export async function createMembers(count: number): Promise<Member[]> {
  const { db } = await import("../db/client");
  const { ensureForumCategories } = await import("../scripts/seed/forums");
  const { createAccount, upsertAdmin } = await import("../app/models/accounts.server");
  const { createApiToken, createSession } = await import("../app/utils/auth.server");
  await ensureForumCategories(db);
  const admin = await upsertAdmin({ email: "admin@banc.fr", password: PASSWORD, name: "Admin" });
  const bar = progress("Membres", count);
  const members = await inParallel(
    Array.from({ length: count }, (_, i) => i),
    2,
    async (i) => {
      const name = `Membre ${i} Banc`;
      const collectivityCode = COMMUNES[i % COMMUNES.length]!;
      const organiser = i % 5 === 0;
      const created = await createAccount({
        email: `membre${i}@banc.fr`,
        password: PASSWORD,
        name,
        jobTitle: "Chargée de mission numérique",
        profileKind: "agent",
        collectivityCode,
        roles: organiser ? ["member", "organiser"] : ["member"],
        approvedBy: admin.userId,
      });
      if (!created.ok) throw new Error(`compte ${i} : ${JSON.stringify(created.fieldErrors)}`);
      const id = created.value.userId;
      const cookie = (await createSession(id)).split(";")[0]!;
      const token = (await createApiToken(id, "banc")).token;
      bar.update(i + 1);
      return { id, name, cookie, token, collectivityCode, organiser };
    },
  );
  bar.finish();
  return members;
}

/** Initiatives, topics, events and registrations through the API of the instance at `origin`. */
export async function createContent(
  origin: string,
  members: Member[],
  sizes: CorpusSizes,
): Promise<Corpus> {
  const next = random(14);
  const text = (words: number) => syntheticText(next, words);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const memberAt = (i: number) => members[i % members.length]!;

  let bar = progress("Initiatives", sizes.initiatives);
  const initiatives = await inParallel(
    Array.from({ length: sizes.initiatives }, (_, i) => ({
      owner: memberAt(i),
      body: {
        title: `${text(6).split(" ").slice(3, 9).join(" ")} n° ${i}`,
        summary: text(30).slice(0, 280),
        body: `## Le projet\n\n${text(100)}\n\n## Les résultats\n\n${text(100)}`,
        themes: [pick(THEMES)],
        tags: ["banc d'essai", pick(["médiation", "données", "fibre", "jeunesse"])],
        year: 2015 + (i % 10),
        status: "published",
      },
    })),
    4,
    async ({ owner, body }, i) => {
      const created = await callApi<{ id: string; slug: string }>(
        origin,
        owner,
        "POST",
        "/api/v1/initiatives",
        body,
      );
      bar.update(i + 1);
      return { ...created, owner };
    },
  );
  bar.finish();

  bar = progress("Sujets de forum", sizes.topics * sizes.postsPerTopic);
  let posts = 0;
  const topics = await inParallel(
    Array.from({ length: sizes.topics }, (_, i) => i),
    2,
    async (i) => {
      const categorySlug = CATEGORIES[i % CATEGORIES.length]!;
      const created = await callApi<{ id: number; url: string }>(
        origin,
        memberAt(i),
        "POST",
        `/api/v1/forums/${categorySlug}/topics`,
        {
          title: `Retour d'expérience n° ${i} sur ${text(8).split(" ").slice(4, 8).join(" ")}`,
          body: text(100),
        },
      );
      for (let p = 1; p < sizes.postsPerTopic; p += 1) {
        await callApi(origin, memberAt(i + p), "POST", `/api/v1/topics/${created.id}/posts`, {
          body: text(100),
        });
        bar.update((posts += 1));
      }
      return { id: created.id, path: new URL(created.url).pathname, categorySlug };
    },
  );
  bar.finish();

  const organisers = members.filter((member) => member.organiser);
  bar = progress("Événements", sizes.events);
  const events = await inParallel(
    Array.from({ length: sizes.events }, (_, i) => i),
    2,
    async (i) => {
      const organiser = organisers[i % organisers.length]!;
      const day = new Date(Date.now() + (7 + i) * 86_400_000).toISOString().slice(0, 10);
      const created = await callApi<{ id: string; slug: string }>(
        origin,
        organiser,
        "POST",
        "/api/v1/events",
        {
          title: `Assises du numérique n° ${i}`,
          description: text(80),
          themes: [pick(THEMES)],
          format: "presentiel",
          venue: "Salle du conseil, place de la mairie",
          communeCode: organiser.collectivityCode,
          startsAt: `${day}T09:30:00+02:00`,
          endsAt: `${day}T17:00:00+02:00`,
          capacity: sizes.eventCapacity,
          initiativeIds: [initiatives[i % initiatives.length]?.slug].filter(Boolean),
        },
      );
      for (let r = 0; r < sizes.registrationsPerEvent; r += 1) {
        await callApi(
          origin,
          memberAt(i + r + 1),
          "POST",
          `/api/v1/events/${created.id}/registrations`,
          {
            showPublicly: r % 2 === 0,
          },
        );
      }
      bar.update(i + 1);
      return created;
    },
  );
  bar.finish();
  return { members, initiatives, topics, events, collectivityCode: COMMUNES[0]! };
}
