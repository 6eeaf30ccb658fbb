import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { cookieFrom, form, startTestApp, type TestApp } from "../helpers/app";
import { followAddressLink } from "../helpers/mail-links";
import { connect, nextEvent } from "../helpers/sockets";
import { apiToken, createTestUser, loginCookie, TEST_PASSWORD } from "../helpers/users";

/** Logins, sessions and re-authentication under attack (issue 10, items 4, 7 and 8). */

let app: TestApp;
beforeAll(async () => {
  // The test client plays the reverse proxy: X-Forwarded-For names the client's address.
  app = await startTestApp({ TRUST_PROXY: "1" });
});
afterAll(async () => app.close());

let nextAddress = 1;
/** A fresh client address for each test, so that tests never share an address's counters. */
const newAddress = () => `198.51.100.${nextAddress++}`;

function login(
  email: string,
  password: string,
  address: string,
  cookie?: string,
): Promise<Response> {
  return app.request("/connexion", {
    ...form({ email, password }),
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
    cookie,
  });
}

/** Every cookie of a response, as a Cookie header. */
function allCookies(response: Response) {
  return response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
}

describe("verrouillage ciblé des comptes (RELIABILITY 2)", () => {
  test("un attaquant à l'adresse A n'empêche pas la personne à l'adresse B de se connecter", async () => {
    const user = await createTestUser();
    const attacker = newAddress();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      statuses.push((await login(user.email, "mauvais mot de passe", attacker)).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const owner = await login(user.email, TEST_PASSWORD, newAddress());
    expect(owner.status).toBe(302);
    expect(cookieFrom(owner)).toMatch(/^ti_session=/);
  });

  test("seules les erreurs comptent : 30 connexions réussies d'une même adresse passent", async () => {
    const user = await createTestUser();
    const address = newAddress();
    for (let attempt = 0; attempt < 30; attempt += 1) {
      expect((await login(user.email, TEST_PASSWORD, address)).status).toBe(302);
    }
  });

  test("depuis un appareil connu, le bon mot de passe passe même sur une adresse bloquée", async () => {
    const user = await createTestUser();
    const shared = newAddress();
    const first = await login(user.email, TEST_PASSWORD, shared);
    const device = first.headers.getSetCookie().find((c) => c.startsWith("ti_appareil="));
    expect(device).toMatch(/HttpOnly/i);
    expect(device).toMatch(/Path=\/connexion/i);
    const deviceCookie = device!.split(";")[0]!;
    // Someone else behind the same address (a town hall's NAT) fails 25 times.
    for (let attempt = 0; attempt < 25; attempt += 1) {
      await login(`inconnu${attempt}@exemple.fr`, "mauvais", shared);
    }
    expect((await login(user.email, TEST_PASSWORD, shared)).status).toBe(429);
    expect((await login(user.email, TEST_PASSWORD, shared, deviceCookie)).status).toBe(302);
  });

  test("un appareil connu a ses propres limites, et un cookie d'appareil falsifié ne vaut rien", async () => {
    const user = await createTestUser();
    const first = await login(user.email, TEST_PASSWORD, newAddress());
    const cookies = allCookies(first);
    const device = cookies.split("; ").find((c) => c.startsWith("ti_appareil="))!;
    const address = newAddress();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await login(user.email, "mauvais", address, device)).status).toBe(400);
    }
    expect((await login(user.email, TEST_PASSWORD, address, device)).status).toBe(429);
    // A cookie made up by the client (bad signature) is no known device.
    const forged = `ti_appareil=${Buffer.from(JSON.stringify({ id: "x", accounts: [] })).toString("base64")}`;
    const other = newAddress();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await login(user.email, "mauvais", other, forged);
    }
    expect((await login(user.email, TEST_PASSWORD, other, forged)).status).toBe(429);
  });
});

describe("réauthentification sur /compte (RELIABILITY 7)", () => {
  const account = (cookie: string, values: Record<string, string>) =>
    app.request("/compte", { ...form(values), cookie });
  const profileOf = (
    user: { name: string; email: string },
    extra: Record<string, string> = {},
  ) => ({
    intent: "profile",
    name: user.name,
    email: user.email,
    jobTitle: "",
    profileKind: "agent",
    ...extra,
  });

  test.each([
    [
      "le changement de mot de passe",
      (current: string) => ({
        intent: "password",
        currentPassword: current,
        newPassword: "un tout nouveau mot de passe",
      }),
    ],
    [
      "la suppression du compte",
      (current: string) => ({ intent: "delete", confirmPassword: current }),
    ],
  ])("%s : la 11e vérification du mot de passe en 15 minutes répond 429", async (_l, values) => {
    const user = await createTestUser();
    const cookie = await loginCookie(user.id);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await account(cookie, values("pas le bon"))).status).toBe(400);
    }
    const limited = await account(cookie, values(TEST_PASSWORD));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Trop de tentatives");
  });

  test("changer d'adresse électronique demande le mot de passe actuel", async () => {
    const user = await createTestUser();
    const cookie = await loginCookie(user.id);
    const changed = { email: `nouvelle-${user.email}` };
    const without = await account(cookie, profileOf(user, changed));
    expect(without.status).toBe(400);
    expect(await without.text()).toContain("Saisissez votre mot de passe actuel");
    const wrong = await account(cookie, profileOf(user, { ...changed, currentPassword: "non" }));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Le mot de passe actuel est incorrect.");
    // The rest of the profile needs no password.
    const renamed = await account(cookie, profileOf({ ...user, name: "Nom Changé" }));
    expect(renamed.status).toBe(200);
    const right = await account(
      cookie,
      profileOf(user, { ...changed, currentPassword: TEST_PASSWORD }),
    );
    expect(right.status).toBe(200);
    expect(await right.text()).toContain(`suivez le lien envoyé à ${changed.email}`);
  });

  test.each([
    [
      "le mot de passe",
      (_user: { name: string; email: string }) => ({
        intent: "password",
        currentPassword: TEST_PASSWORD,
        newPassword: "un tout nouveau mot de passe",
      }),
    ],
    [
      "l'adresse électronique",
      (user: { name: string; email: string }) =>
        profileOf(user, { email: `autre-${user.email}`, currentPassword: TEST_PASSWORD }),
    ],
  ])(
    "changer %s ferme les autres sessions, leurs sockets et les jetons d'API",
    async (_l, values) => {
      const user = await createTestUser();
      const here = await loginCookie(user.id);
      const elsewhere = await loginCookie(user.id);
      const token = await apiToken(user.id);
      const socket = await connect(app, { cookie: elsewhere });
      const ended = nextEvent<{ reason: string }>(socket, "session:ended");
      const disconnected = new Promise((resolve) => socket.once("disconnect", resolve));
      expect((await account(here, values(user))).status).toBe(200);
      // A new address takes effect once its mailed link is followed.
      if (values(user).intent === "profile") {
        const followed = await followAddressLink(app, `autre-${user.email}`, here);
        expect(followed.status).toBe(302);
      }
      expect((await ended).reason).toBe("password");
      await disconnected;
      expect((await app.request("/compte", { cookie: here })).status).toBe(200);
      expect((await app.request("/compte", { cookie: elsewhere })).status).toBe(302);
      const me = await app.request("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(401);
    },
  );

  test("la case « garder mes jetons d'API » les garde actifs", async () => {
    const user = await createTestUser();
    const here = await loginCookie(user.id);
    const token = await apiToken(user.id);
    const response = await account(here, {
      intent: "password",
      currentPassword: TEST_PASSWORD,
      newPassword: "un tout nouveau mot de passe",
      keepApiTokens: "on",
    });
    expect(response.status).toBe(200);
    const me = await app.request("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  });
});

describe("rotation de session quand les droits augmentent (RELIABILITY 6)", () => {
  test("un rôle accordé ferme les sessions et les sockets de la personne ; la suivante a le rôle", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const member = await createTestUser();
    const planted = await loginCookie(member.id);
    const socket = await connect(app, { cookie: planted });
    const disconnected = new Promise((resolve) => socket.once("disconnect", resolve));
    const response = await app.request("/admin/membres", {
      ...form({ userId: member.id, roles: "organiser" }),
      cookie: await loginCookie(admin.id),
    });
    expect(response.status).toBe(200);
    await disconnected;
    expect((await app.request("/compte", { cookie: planted })).status).toBe(302);
    const again = await login(member.email, TEST_PASSWORD, newAddress());
    const fresh = cookieFrom(again);
    expect(fresh).not.toBe(planted);
    const me = (await (await app.request("/api/v1/me", { cookie: fresh })).json()) as {
      roles: string[];
    };
    expect(me.roles).toContain("organiser");
  });

  test("une adhésion validée ferme les sessions du membre, qui se reconnecte", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const pending = await createTestUser({ approved: false });
    const planted = await loginCookie(pending.id);
    const response = await app.request("/admin/adhesions", {
      ...form({
        intent: "approve",
        userId: pending.id,
        collectivityCode: pending.collectivityCode,
      }),
      cookie: await loginCookie(admin.id),
    });
    expect(response.status).toBe(200);
    expect((await app.request("/compte", { cookie: planted })).status).toBe(302);
  });

  test("un administrateur qui change ses propres rôles continue dans une nouvelle session", async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    const before = await loginCookie(admin.id);
    // The admin adds the jury role to their own.
    const grant = await app.request("/admin/membres", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `userId=${admin.id}&roles=admin&roles=jury`,
      cookie: before,
    });
    expect(grant.status).toBe(200);
    const after = cookieFrom(grant);
    expect(after).toMatch(/^ti_session=[a-z2-7]{40}$/);
    expect(after).not.toBe(before);
    expect((await app.request("/compte", { cookie: before })).status).toBe(302);
    expect((await app.request("/compte", { cookie: after })).status).toBe(200);
  });
});
