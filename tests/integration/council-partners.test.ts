import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createPartner } from "../../app/models/organisations.server";
import { db } from "../../db/client";
import { memberships, users } from "../../db/schema";
import { cookieFrom, form, startTestApp, type TestApp } from "../helpers/app";
import { createTestInitiative } from "../helpers/initiatives";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

async function partner(name: string, college: "economique" | "social" = "economique") {
  const created = await createPartner({
    name,
    kind: "entreprise",
    college,
    description: "Une organisation partenaire du conseil.",
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return { slug: created.value.slug, code: `org-${created.value.slug}` };
}

async function membershipOf(email: string) {
  const [row] = await db
    .select({ code: memberships.collectivityCode, status: memberships.status })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(users.email, email));
  return row;
}

describe("organisations partenaires", () => {
  test("un·e admin crée un partenaire ; un Siren faux ou déjà pris répond 400 en français", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const cookie = await loginCookie(admin.id);
    const base = { name: "Numérique Ouest SAS", kind: "entreprise", college: "economique" };
    const wrongKey = await app.request("/admin/partenaires", {
      ...form({ ...base, siren: "732829321" }),
      cookie,
    });
    expect(wrongKey.status).toBe(400);
    expect(await wrongKey.text()).toContain("clé de contrôle incorrecte");

    const created = await app.request("/admin/partenaires", {
      ...form({ ...base, siren: "732 829 320" }),
      cookie,
    });
    expect(created.status).toBe(302);
    expect(created.headers.get("location")).toBe("/partenaires/numerique-ouest-sas");

    const sameSiren = await app.request("/admin/partenaires", {
      ...form({ ...base, name: "Autre nom", siren: "732829320" }),
      cookie,
    });
    expect(sameSiren.status).toBe(400);
    expect(await sameSiren.text()).toContain("porte déjà ce Siren");

    const member = await createTestUser();
    const refused = await app.request("/admin/partenaires", {
      ...form({ ...base, name: "Intrus" }),
      cookie: await loginCookie(member.id),
    });
    expect(refused.status).toBe(403);
  });

  test("un partenaire s'inscrit sans collectivité et sa référente valide son adhésion", async () => {
    const { slug, code } = await partner("Association Médiation 56", "social");
    const referent = await createTestUser({ collectivityCode: code, referent: true });
    const email = `lea.partenaire-${Date.now()}@mediation56.fr`;

    const missing = await app.request("/inscription", {
      ...form({
        name: "Léa Partenaire",
        email,
        password: "une phrase de passe solide",
        jobTitle: "Coordinatrice",
        profileKind: "partenaire",
        represents: "partenaire",
      }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Choisissez votre organisation.");

    const signup = await app.request("/inscription", {
      ...form({
        name: "Léa Partenaire",
        email,
        password: "une phrase de passe solide",
        jobTitle: "Coordinatrice",
        profileKind: "partenaire",
        represents: "partenaire",
        partner: slug,
      }),
    });
    expect(signup.status).toBe(302);
    expect(cookieFrom(signup)).not.toBe("");
    expect(await membershipOf(email)).toEqual({ code, status: "pending" });
    const [newcomer] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));

    // A référent of another organisation cannot decide: the same 404 as a missing member.
    const stranger = await createTestUser({ referent: true });
    const foreign = await app.request(`/partenaires/${slug}`, {
      ...form({ intent: "approve", userId: newcomer!.id }),
      cookie: await loginCookie(stranger.id),
    });
    expect(foreign.status).toBe(404);

    const page = await app.request(`/partenaires/${slug}`, {
      cookie: await loginCookie(referent.id),
    });
    expect(await page.text()).toContain("Léa Partenaire");
    const approved = await app.request(`/partenaires/${slug}`, {
      ...form({ intent: "approve", userId: newcomer!.id }),
      cookie: await loginCookie(referent.id),
    });
    expect(approved.status).toBe(200);
    expect(await membershipOf(email)).toEqual({ code, status: "approved" });
  });

  test("le partenaire a sa fiche, son filtre dans l'annuaire, et publie des initiatives", async () => {
    const { slug, code } = await partner("Réseau Breizh Numérique");
    await createTestInitiative(code, { title: "Guide du réemploi des ordinateurs" });
    const page = await (await app.request(`/partenaires/${slug}`)).text();
    expect(page).toContain("Réseau Breizh Numérique");
    expect(page).toContain("Collège économique");
    expect(page).toContain("Guide du réemploi des ordinateurs");

    const old = await app.request(`/collectivites/${code}`);
    expect(old.status).toBe(301);
    expect(old.headers.get("location")).toBe(`/partenaires/${slug}`);

    const directory = await (await app.request("/annuaire?kind=partenaire&q=breizh")).text();
    expect(directory).toContain("Réseau Breizh Numérique");
    expect(directory).toContain("Partenaire du conseil");
    expect((await app.request(`/partenaires/inconnu`)).status).toBe(404);
  });

  test("l'API liste les organisations membres avec leur collège, filtrées par collège", async () => {
    await partner("Université Bretagne Sud Test");
    const member = await createTestUser({ collectivityCode: "70299" });
    const all = (await (await app.request("/api/v1/organisations?pageSize=100")).json()) as {
      items: Array<{ code: string; college: string; type: string }>;
    };
    expect(all.items).toContainEqual(
      expect.objectContaining({ code: member.collectivityCode, college: "collectivites" }),
    );
    expect(all.items).toContainEqual(
      expect.objectContaining({ code: "org-universite-bretagne-sud-test", type: "partenaire" }),
    );
    // A collectivity without any approved member is not a member organisation.
    expect(all.items.map((i) => i.code)).not.toContain("13055");

    const economic = (await (
      await app.request("/api/v1/organisations?college=economique&pageSize=100")
    ).json()) as { items: Array<{ college: string }> };
    expect(economic.items.length).toBeGreaterThan(0);
    expect(economic.items.every((i) => i.college === "economique")).toBe(true);

    const bad = await app.request("/api/v1/organisations?college=marine");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choisissez un collège du conseil.");
    const openapi = (await (await app.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toContain("/api/v1/organisations");
  });
});
