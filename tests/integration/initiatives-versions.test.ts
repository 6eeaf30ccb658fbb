import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { db } from "../../db/client";
import { initiatives } from "../../db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { createTestInitiative } from "../helpers/initiatives";
import { apiToken, createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

const summary = "Un résumé suffisamment long pour passer la validation du formulaire.";

/** The edit form as a browser sends it, every field filled in. */
function editForm(values: { title: string; body: string; version: string }) {
  const data = new URLSearchParams({
    intent: "save",
    title: values.title,
    summary,
    body: values.body,
    themes: "services-en-ligne",
    tags: "",
    startYear: "2024",
    budgetBracket: "",
    links: "",
    otherContributors: "",
    inspiredBy: "",
    status: "published",
    version: values.version,
  });
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: data.toString(),
  };
}

const savedRow = async (id: string) =>
  (
    await db
      .select({ title: initiatives.title, body: initiatives.body, version: initiatives.version })
      .from(initiatives)
      .where(eq(initiatives.id, id))
  )[0];

describe("initiatives : rien n'est écrasé en silence", () => {
  test("deux onglets : le second enregistrement répond 409, cite la version enregistrée et garde le texte saisi", async () => {
    const member = await createTestUser({ collectivityCode: "56260" });
    const cookie = await loginCookie(member.id);
    const { id, slug } = await createTestInitiative("56260", {
      title: "Guichet numérique de la mairie",
      summary,
      body: "Le texte d'origine.",
    });
    const page = await (await app.request(`/initiatives/${slug}/modifier`, { cookie })).text();
    expect(page).toMatch(/name="version" value="1"/);

    const first = await app.request(`/initiatives/${slug}/modifier`, {
      cookie,
      ...editForm({
        title: "Guichet numérique modifié dans le premier onglet",
        body: "Le texte d'origine.",
        version: "1",
      }),
    });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`/initiatives/${slug}?modifiee=1`);

    const second = await app.request(`/initiatives/${slug}/modifier`, {
      cookie,
      ...editForm({
        title: "Guichet numérique de la mairie",
        body: "Mon long texte rédigé dans le second onglet.",
        version: "1",
      }),
    });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain("a enregistré cette initiative le");
    expect(html).toContain(
      "Modifié entre-temps. Version enregistrée : « Guichet numérique modifié dans le premier onglet »",
    );
    // The person's own text is still in the form, and the next save is based on version 2.
    expect(html).toContain("Mon long texte rédigé dans le second onglet.");
    expect(html).toMatch(/name="version" value="2"/);
    expect(await savedRow(id)).toEqual({
      title: "Guichet numérique modifié dans le premier onglet",
      body: "Le texte d'origine.",
      version: 2,
    });

    // Having read the other change, they save again on purpose: it goes through.
    const again = await app.request(`/initiatives/${slug}/modifier`, {
      cookie,
      ...editForm({
        title: "Guichet numérique modifié dans le premier onglet",
        body: "Mon long texte rédigé dans le second onglet.",
        version: "2",
      }),
    });
    expect(again.status).toBe(302);
    expect(await savedRow(id)).toMatchObject({
      body: "Mon long texte rédigé dans le second onglet.",
      version: 3,
    });
  });

  test("API : un PATCH avec une version dépassée répond 409 en nommant le champ changé ; sans version, il passe", async () => {
    const member = await createTestUser({ collectivityCode: "56260" });
    const token = await apiToken(member.id);
    const { id } = await createTestInitiative("56260", { title: "Cartographie des tiers-lieux" });
    const patch = (body: unknown) =>
      app.request(`/api/v1/initiatives/${id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const read = async () =>
      (await (
        await app.request(`/api/v1/initiatives/${id}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { title: string; version: number; year: number };

    expect((await read()).version).toBe(1);
    const accepted = await patch({ title: "Cartographie des tiers-lieux du pays", version: 1 });
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { version: number }).version).toBe(2);

    const refused = await patch({ title: "Une autre idée du titre", year: 2019, version: 1 });
    expect(refused.status).toBe(409);
    const { error } = (await refused.json()) as {
      error: { code: string; message: string; fields: Record<string, string[]> };
    };
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("a enregistré cette initiative le");
    expect(error.fields.title).toEqual([
      "Modifié entre-temps. Version enregistrée : « Cartographie des tiers-lieux du pays »",
    ]);
    // The year did not change since version 1... but it differs from what was sent.
    expect(error.fields.year?.[0]).toContain("2024");
    expect(await read()).toMatchObject({
      title: "Cartographie des tiers-lieux du pays",
      version: 2,
    });

    // Without a version, a PATCH applies as before (clients that do not send it keep working).
    expect((await patch({ title: "Cartographie des tiers-lieux" })).status).toBe(200);
    expect(await read()).toMatchObject({ title: "Cartographie des tiers-lieux", version: 3 });
    const invalid = await patch({ title: "Cartographie", version: "deux" });
    expect(invalid.status).toBe(422);
  });
});

describe("initiatives : aperçu du markdown", () => {
  test("un texte trop long est refusé (400) sans être rendu", async () => {
    const member = await createTestUser({ collectivityCode: "56260" });
    const response = await app.request("/initiatives/apercu", {
      cookie: await loginCookie(member.id),
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ body: "**gras** ".repeat(3_000) }).toString(),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toBe("Le texte ne peut pas dépasser 20 000 caractères.");
  });

  test("au-delà de 600 aperçus en 10 minutes, la personne reçoit 429 avec Retry-After", async () => {
    const member = await createTestUser({ collectivityCode: "56260" });
    const cookie = await loginCookie(member.id);
    const preview = () =>
      app.request("/initiatives/apercu", {
        cookie,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ body: "Un **aperçu**." }).toString(),
      });
    const statuses = new Map<number, number>();
    for (let i = 0; i < 600; i += 1) {
      const status = (await preview()).status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect([...statuses]).toEqual([[200, 600]]);
    const limited = await preview();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toContain(
      "Trop de tentatives",
    );
  }, 120_000);
});
