import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { approvedCollectivityOf } from "../../app/models/collectivities.server";
import { db } from "../../db/client";
import { memberships, sessions, users } from "../../db/schema";
import { cookieFrom, form, startTestApp, type TestApp } from "../helpers/app";
import { createTestUser, loginCookie, TEST_PASSWORD } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

const goodSignup = {
  name: "Awa Diallo",
  email: "awa.diallo@vannes.fr",
  password: "une phrase de passe solide",
  jobTitle: "Adjointe au maire",
  profileKind: "elu",
  collectivity: "Vannes (56260)",
};

async function countUsers() {
  return (await db.select({ id: users.id }).from(users)).length;
}

describe("inscription", () => {
  test.each([
    ["password", "court", "au moins 12 caractères"],
    ["password", "azertyuiop123", "trop courant"],
    ["password", "x".repeat(300), "ne peut pas dépasser 256"],
    ["email", "pas-une-adresse", "n'est pas valide"],
    ["collectivity", "Zzzzqqqq", "introuvable"],
    ["profileKind", "ministre", "Choisissez un profil"],
  ])(
    "un champ %s invalide (%s) affiche un message en français et ne crée rien",
    async (field, value, message) => {
      const before = await countUsers();
      const response = await app.request("/inscription", form({ ...goodSignup, [field]: value }));
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).toMatch(/aria-invalid="true"/);
      expect(await countUsers()).toBe(before);
    },
  );

  test("un mot de passe de 64 caractères est accepté ; l'adhésion est en attente", async () => {
    const response = await app.request(
      "/inscription",
      form({ ...goodSignup, email: "long@vannes.fr", password: "a1b2c3d4".repeat(8) }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/compte?bienvenue=1");
    expect(cookieFrom(response)).toMatch(/^ti_session=[a-z2-7]{40}$/);
    const [user] = await db.select().from(users).where(eq(users.email, "long@vannes.fr"));
    const [membership] = await db
      .select()
      .from(memberships)
      .where(eq(memberships.userId, user!.id));
    expect(membership?.status).toBe("pending");
    expect(await approvedCollectivityOf(user!.id)).toBeNull();
  });

  test("une adresse déjà utilisée est refusée sur le champ, sans doublon", async () => {
    await app.request("/inscription", form({ ...goodSignup, email: "double@vannes.fr" }));
    const response = await app.request(
      "/inscription",
      form({ ...goodSignup, email: "DOUBLE@vannes.fr" }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Un compte existe déjà");
    expect(await db.select().from(users).where(eq(users.email, "double@vannes.fr"))).toHaveLength(
      1,
    );
  });

  test("un nom de collectivité ambigu propose de choisir sans rien créer", async () => {
    const before = await countUsers();
    const response = await app.request(
      "/inscription",
      form({ ...goodSignup, email: "x@y.fr", collectivity: "Saint-Martin" }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Précisez votre collectivité");
    expect(html).toContain('name="collectivityCode"');
    expect(await countUsers()).toBe(before);
  });
});

describe("connexion et sessions", () => {
  test("mauvais mot de passe et adresse inconnue donnent la même réponse", async () => {
    const user = await createTestUser();
    const wrong = await app.request(
      "/connexion",
      form({ email: user.email, password: "mauvais mot de passe" }),
    );
    const unknown = await app.request(
      "/connexion",
      form({ email: "inconnu@exemple.fr", password: "mauvais mot de passe" }),
    );
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(wrong.status);
    const message = "Adresse électronique ou mot de passe incorrect.";
    expect(await wrong.text()).toContain(message);
    expect(await unknown.text()).toContain(message);
  });

  test("la connexion crée une nouvelle session et tue le cookie posé avant (fixation)", async () => {
    const user = await createTestUser();
    const planted = await loginCookie(user.id);
    const response = await app.request("/connexion", {
      ...form({ email: user.email, password: TEST_PASSWORD }),
      cookie: planted,
    });
    expect(response.status).toBe(302);
    const fresh = cookieFrom(response);
    expect(fresh).not.toBe(planted);
    expect((await app.request("/compte", { cookie: planted })).status).toBe(302);
    expect((await app.request("/compte", { cookie: fresh })).status).toBe(200);
  });

  test.each([
    ["un secret changé", "ti_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
    ["un point", "ti_session=abc.def"],
    ["une mauvaise longueur", "ti_session=abc"],
    ["des caractères hors base32", "ti_session=0189!!!!0189!!!!0189!!!!0189!!!!0189!!!!"],
  ])("un cookie avec %s vaut déconnexion, sans erreur 500", async (_label, cookie) => {
    const page = await app.request("/", { cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get("set-cookie")).toMatch(/ti_session=;.*Max-Age=0/);
    expect((await app.request("/compte", { cookie })).status).toBe(302);
    expect((await app.request("/api/v1/me", { cookie })).status).toBe(401);
  });

  test("changer de mot de passe ferme les autres sessions, pas la sienne", async () => {
    const user = await createTestUser();
    const deviceA = await loginCookie(user.id);
    const deviceB = await loginCookie(user.id);
    const response = await app.request("/compte", {
      ...form({
        intent: "password",
        currentPassword: TEST_PASSWORD,
        newPassword: "un tout nouveau mot de passe",
      }),
      cookie: deviceA,
    });
    expect(response.status).toBe(200);
    expect((await app.request("/compte", { cookie: deviceA })).status).toBe(200);
    expect((await app.request("/compte", { cookie: deviceB })).status).toBe(302);
  });

  test("la déconnexion n'accepte pas GET et tue la session en POST", async () => {
    const user = await createTestUser();
    const cookie = await loginCookie(user.id);
    expect((await app.request("/deconnexion", { cookie })).status).toBe(405);
    expect((await app.request("/compte", { cookie })).status).toBe(200);
    const out = await app.request("/deconnexion", { method: "POST", cookie });
    expect(out.status).toBe(302);
    expect((await app.request("/compte", { cookie })).status).toBe(302);
  });
});

describe("protection CSRF", () => {
  test.each([
    ["une origine étrangère", "https://evil.example"],
    ["aucune origine", null],
  ])("un POST avec %s est refusé (403) et ne change rien", async (_label, origin) => {
    const user = await createTestUser();
    const cookie = await loginCookie(user.id);
    const response = await app.request("/compte", {
      ...form({
        intent: "profile",
        name: "Pirate",
        email: user.email,
        jobTitle: "",
        profileKind: "agent",
      }),
      cookie,
      origin,
    });
    expect(response.status).toBe(403);
    const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, user.id));
    expect(row?.name).toBe(user.name);
  });
});

describe("adhésions et référent·e", () => {
  test("la ou le référent valide une adhésion ; un autre membre ne le peut pas (404)", async () => {
    const referent = await createTestUser({ collectivityCode: "70299", referent: true });
    const member = await createTestUser({ collectivityCode: "70299" });
    const pending = await createTestUser({ collectivityCode: "70299", approved: false });
    const decide = (cookie: string) =>
      app.request("/collectivites/70299", {
        ...form({ intent: "approve", userId: pending.id }),
        cookie,
      });
    expect((await decide(await loginCookie(member.id))).status).toBe(404);
    expect(await approvedCollectivityOf(pending.id)).toBeNull();
    expect((await decide(await loginCookie(referent.id))).status).toBe(200);
    expect(await approvedCollectivityOf(pending.id)).toBe("70299");
  });

  test("retirer un membre le rend « ancien » et ferme ses sessions", async () => {
    const referent = await createTestUser({ collectivityCode: "56260", referent: true });
    const leaving = await createTestUser({ collectivityCode: "56260", name: "Jean Partant" });
    const leavingCookie = await loginCookie(leaving.id);
    const response = await app.request("/collectivites/56260", {
      ...form({ intent: "remove", userId: leaving.id }),
      cookie: await loginCookie(referent.id),
    });
    expect(response.status).toBe(200);
    expect(await db.select().from(sessions).where(eq(sessions.userId, leaving.id))).toHaveLength(0);
    expect((await app.request("/compte", { cookie: leavingCookie })).status).toBe(302);
    const html = await (await app.request("/collectivites/56260")).text();
    expect(html).toContain("Ancien·nes membres");
    expect(html).toContain("Jean Partant");
  });

  test("la ou le référent transmet son rôle : il n'y en a qu'un", async () => {
    const referent = await createTestUser({ collectivityCode: "60057", referent: true });
    const successor = await createTestUser({ collectivityCode: "60057" });
    await app.request("/collectivites/60057", {
      ...form({ intent: "make-referent", userId: successor.id }),
      cookie: await loginCookie(referent.id),
    });
    const referents = await db.select().from(memberships).where(eq(memberships.isReferent, true));
    expect(referents.filter((m) => m.collectivityCode === "60057").map((m) => m.userId)).toEqual([
      successor.id,
    ]);
  });

  test("une adhésion en attente n'est visible que de ceux qui la gèrent", async () => {
    await createTestUser({ collectivityCode: "29019", approved: false, name: "Nolwenn Attente" });
    expect(await (await app.request("/collectivites/29019")).text()).not.toContain(
      "Nolwenn Attente",
    );
    const admin = await createTestUser({ roles: ["admin"] });
    const html = await (
      await app.request("/admin/adhesions", { cookie: await loginCookie(admin.id) })
    ).text();
    expect(html).toContain("Nolwenn Attente");
    const member = await createTestUser();
    expect(
      (await app.request("/admin/adhesions", { cookie: await loginCookie(member.id) })).status,
    ).toBe(403);
  });
});

describe("compte et RGPD", () => {
  test("l'export ne contient que mes données", async () => {
    const me = await createTestUser({ name: "Moi Même" });
    await createTestUser({ name: "Quelqu'un d'autre" });
    const response = await app.request("/compte/export", { cookie: await loginCookie(me.id) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const data = (await response.json()) as { profile: { email: string; name: string } };
    expect(data.profile.email).toBe(me.email);
    expect(JSON.stringify(data)).not.toContain("Quelqu'un d'autre");
    expect(JSON.stringify(data)).not.toContain("argon2");
    // Every domain adds its section: what I wrote and where I registered is mine to take away.
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining(["initiatives", "forumPosts", "eventRegistrations"]),
    );
  });

  test("supprimer son compte efface le profil et les sessions", async () => {
    const user = await createTestUser();
    const cookie = await loginCookie(user.id);
    const wrong = await app.request("/compte", {
      ...form({ intent: "delete", confirmPassword: "pas le bon" }),
      cookie,
    });
    expect(wrong.status).toBe(400);
    const response = await app.request("/compte", {
      ...form({ intent: "delete", confirmPassword: TEST_PASSWORD }),
      cookie,
    });
    expect(response.status).toBe(302);
    expect(await db.select().from(users).where(eq(users.id, user.id))).toHaveLength(0);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
  });
});

describe("en-têtes de sécurité", () => {
  test("CSP avec nonce, cookies HttpOnly SameSite=Lax, nosniff", async () => {
    const user = await createTestUser();
    const response = await app.request(
      "/connexion",
      form({ email: user.email, password: TEST_PASSWORD }),
    );
    expect(response.headers.get("set-cookie")).toMatch(/HttpOnly.*SameSite=Lax/i);
    const page = await app.request("/");
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(await page.text()).toContain(`nonce="${nonce}"`);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("administration des rôles", () => {
  test("retirer un rôle ferme les sessions ; un membre ne peut pas changer les rôles", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const organiser = await createTestUser({ roles: ["organiser"] });
    const organiserCookie = await loginCookie(organiser.id);
    const member = await createTestUser();
    const byMember = await app.request("/admin/membres", {
      ...form({ userId: organiser.id, roles: "admin" }),
      cookie: await loginCookie(member.id),
    });
    expect(byMember.status).toBe(403);
    const response = await app.request("/admin/membres", {
      ...form({ userId: organiser.id }),
      cookie: await loginCookie(admin.id),
    });
    expect(response.status).toBe(200);
    const [row] = await db
      .select({ roles: users.roles })
      .from(users)
      .where(eq(users.id, organiser.id));
    expect(row?.roles).toEqual(["member"]);
    expect((await app.request("/compte", { cookie: organiserCookie })).status).toBe(302);
  });
});

describe("origine et hôte", () => {
  test("une origine autorisée mais d'un autre hôte que la requête reçoit 403, pas 500", async () => {
    const other = app.origin.replace("127.0.0.1", "localhost");
    const response = await app.request("/connexion", {
      ...form({ email: "a@b.fr", password: "x" }),
      origin: other,
    });
    expect(response.status).toBe(403);
  });
});
