import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { cookieFrom, form, startTestApp, type TestApp } from "../helpers/app";
import { createTestUser, TEST_PASSWORD } from "../helpers/users";

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
