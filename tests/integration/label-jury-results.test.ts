import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { createPost } from "../../app/models/forum-posts.server";
import { getTopic, searchForumTopics } from "../../app/models/forums.server";
import { publishNow } from "../../app/models/label-campaigns.server";
import {
  assignJury,
  declareConflict,
  getJuryApplication,
  listAssignments,
  saveReview,
  unassignJury,
} from "../../app/models/label-jury.server";
import { validateResult } from "../../app/models/label-results.server";
import type { Role } from "../../db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { apiRequest } from "../helpers/events";
import { drainOutbox } from "../helpers/initiatives";
import { createTestCampaign, submittedApplication } from "../helpers/label";
import { apiToken, createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
type TestUser = Awaited<ReturnType<typeof createTestUser>>;
let admin: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  admin = await createTestUser({ collectivityCode: "75056", roles: ["admin"] });
  admin = { ...admin, roles: ["member", "admin"] as Role[] };
});
afterAll(async () => app.close());

describe("espace du jury", () => {
  test("un membre du jury ne voit jamais un dossier non assigné ni en conflit d'intérêts", async () => {
    await createTestCampaign(2070);
    // A jury member from Golfe du Morbihan (56): Vannes is in their département.
    const juror = await createTestUser({ collectivityCode: "56121", roles: ["jury"] });
    const other = await createTestUser({ collectivityCode: "dep-29", roles: ["jury"] });
    const vannes = await submittedApplication(2070, "56260");
    const beauvais = await submittedApplication(2070, "60057");
    const martigues = await submittedApplication(2070, "13056");

    const refused = await assignJury(admin, vannes, juror.id);
    expect(refused.ok ? 200 : refused.status).toBe(409);
    expect((await assignJury(admin, beauvais, juror.id)).ok).toBe(true);
    expect((await assignJury(admin, beauvais, other.id)).ok).toBe(true);
    expect((await assignJury(admin, martigues, other.id)).ok).toBe(true);

    expect((await listAssignments(juror)).map((a) => a.id)).toEqual([beauvais]);
    expect(await getJuryApplication(juror, martigues)).toBeNull();
    expect(await getJuryApplication(juror, vannes)).toBeNull();
    const cookie = await loginCookie(juror.id);
    expect((await app.request(`/label/jury/${beauvais}`, { cookie })).status).toBe(200);
    expect((await app.request(`/label/jury/${martigues}`, { cookie })).status).toBe(404);
    expect((await app.request(`/label/jury/${vannes}`, { cookie })).status).toBe(404);

    // The deliberation thread of Martigues is the forum's, and closed to the juror.
    const martiguesTopic = (await getJuryApplication(other, martigues))!.deliberationTopicId!;
    expect(await getTopic(juror, martiguesTopic)).toBeNull();
    expect(await getTopic(other, martiguesTopic)).not.toBeNull();
    const beauvaisTopic = (await getJuryApplication(juror, beauvais))!.deliberationTopicId!;
    const posted = await createPost(juror, { topicId: beauvaisTopic, body: "Je propose 4 @." });
    expect(posted.ok).toBe(true);
    const forumPage = await app.request(posted.ok ? posted.value.path : "/", { cookie });
    expect([200, 302]).toContain(forumPage.status);

    // A declared conflict takes the application and its thread away at once.
    await declareConflict(juror, "60057", "Ancien agent de la ville");
    expect(await listAssignments(juror)).toEqual([]);
    expect(await getJuryApplication(juror, beauvais)).toBeNull();
    expect(await getTopic(juror, beauvaisTopic)).toBeNull();
    expect((await app.request(`/label/jury/${beauvais}`, { cookie })).status).toBe(404);
    const review = await saveReview(juror, beauvais, {
      grid: {},
      proposedLevel: 4,
      mentions: [],
      comment: "",
    });
    expect(review.ok ? 200 : review.status).toBe(404);
  });
});

describe("recherche dans les fils de délibération", () => {
  test("le juré assigné trouve une réponse de son fil ; un autre juré, un visiteur, et lui une fois retiré du dossier, non", async () => {
    await createTestCampaign(2075);
    const juror = await createTestUser({ collectivityCode: "dep-29", roles: ["jury"] });
    const other = await createTestUser({ collectivityCode: "dep-29", roles: ["jury"] });
    const id = await submittedApplication(2075, "35238");
    expect((await assignJury(admin, id, juror.id)).ok).toBe(true);
    const topicId = (await getJuryApplication(juror, id))!.deliberationTopicId!;
    const posted = await createPost(juror, {
      topicId,
      body: "Le critère wombatesque de la grille est rempli.",
    });
    if (!posted.ok) throw new Error(JSON.stringify(posted));
    await drainOutbox();
    const adminToken = await apiToken(admin.id);
    const apiFound = async (token: string | null) => {
      const path = "/api/v1/search?q=wombatesque";
      const response = token ? await apiRequest(app, path, token) : await app.request(path);
      const answer = (await response.json()) as { items: Array<{ type: string; id: string }> };
      return answer.items.map((item) => `${item.type}:${item.id}`);
    };
    const pageFound = async (person: TestUser | null) => {
      const cookie = person ? { cookie: await loginCookie(person.id) } : {};
      const page = await (await app.request("/recherche?q=wombatesque", cookie)).text();
      return page.includes(posted.value.path);
    };
    const expected = [`posts:${posted.value.postId}`];
    await vi.waitFor(async () => expect(await apiFound(adminToken)).toEqual(expected));

    expect(await apiFound(await apiToken(juror.id))).toEqual(expected);
    expect(await pageFound(juror)).toBe(true);
    for (const person of [other, null]) {
      expect(await apiFound(person && (await apiToken(person.id)))).toEqual([]);
      expect(await pageFound(person)).toBe(false);
    }

    // Taken off the application, the juror loses the thread in search at once.
    await unassignJury(id, juror.id);
    expect(await apiFound(await apiToken(juror.id))).toEqual([]);
    expect(await pageFound(juror)).toBe(false);
  }, 60_000);
});

describe("publication des résultats", () => {
  test("avant la date de publication, rien ne paraît : pages, API, CSV, recherche, panneau", async () => {
    await createTestCampaign(2080);
    const juror = await createTestUser({ collectivityCode: "dep-29", roles: ["jury"] });
    const otherJuror = await createTestUser({ collectivityCode: "dep-29", roles: ["jury"] });
    const id = await submittedApplication(2080, "38382");
    await assignJury(admin, id, juror.id);
    const validated = await validateResult(admin, id, {
      level: 4,
      mentions: ["excellence-numerique"],
      feedback: "Un dossier remarquable, bravo à toute l'équipe.",
    });
    expect(validated.ok).toBe(true);
    await drainOutbox();

    const hidden = async () => {
      expect((await app.request("/label/2080")).status).toBe(404);
      const api = await (await app.request("/api/v1/label/results?year=2080")).json();
      expect(api).toEqual({ items: [], total: 0 });
      const csv = await (await app.request("/api/v1/label/results.csv?year=2080")).text();
      expect(csv.trim().split("\n")).toHaveLength(1);
      expect(await (await app.request("/collectivites/38382")).text()).not.toContain(
        `href="/label/2080"`,
      );
      expect((await app.request("/label/panneaux/2080/38382.svg")).status).toBe(404);
      const verify = await (await app.request("/label/verifier/38382")).text();
      expect(verify).toContain("pas de label en vigueur");
      // Another jury member: the assigned one reads, and so finds, the application's thread.
      const search = await searchForumTopics("Saint-Égrève", { ...otherJuror, roles: ["jury"] });
      expect(search?.hits ?? []).toEqual([]);
      expect((await searchForumTopics("Saint-Égrève", null))?.hits ?? []).toEqual([]);
    };
    await hidden();
    // The search does know the thread: only the label's team finds it.
    const asAdmin = await searchForumTopics("Saint-Égrève", admin);
    expect(asAdmin?.hits.length).toBe(1);

    expect(await publishNow(2080)).toBe(true);
    expect((await app.request("/label/2080")).status).toBe(200);
    const api = await (await app.request("/api/v1/label/results?year=2080")).json();
    expect(api).toEqual({
      items: [
        {
          collectivity: { code: "38382", name: "Saint-Égrève" },
          year: 2080,
          level: 4,
          mentions: ["excellence-numerique"],
        },
      ],
      total: 1,
    });
    const csv = await (await app.request("/api/v1/label/results.csv?year=2080")).text();
    expect(csv).toContain("Saint-Égrève");
    expect(await (await app.request("/collectivites/38382")).text()).toContain(
      `href="/label/2080"`,
    );
    const svg = await app.request("/label/panneaux/2080/38382.svg");
    expect(svg.headers.get("content-type")).toContain("image/svg+xml");
    expect(await svg.text()).toContain("Saint-Égrève");
    const png = await app.request("/label/panneaux/2080/38382.png");
    expect(png.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.slice(1, 4)].map((b) => String.fromCharCode(b)).join("")).toBe("PNG");
  });

  test("l'API refuse un filtre inconnu et un niveau hors de 1 à 5", async () => {
    expect((await app.request("/api/v1/label/results?email=x")).status).toBe(400);
    expect((await app.request("/api/v1/label/results?level=9")).status).toBe(400);
    const campaigns = await (await app.request("/api/v1/label/campaigns")).json();
    expect(Object.keys(campaigns.items[0]).sort()).toEqual(
      [
        "opensAt",
        "publishedAt",
        "registrationDeadline",
        "status",
        "submissionDeadline",
        "year",
      ].sort(),
    );
  });
});
