import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { form, startTestApp, type TestApp } from "../helpers/app";
import { createTestUser, TEST_PASSWORD } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

describe("limites de débit (stockées dans PostgreSQL)", () => {
  test("après 10 échecs d'un compte depuis une adresse en une heure, la suivante répond 429 avec Retry-After", async () => {
    const user = await createTestUser();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const response = await app.request(
        "/connexion",
        form({ email: user.email, password: "mauvais mot de passe" }),
      );
      expect(response.status).toBe(400);
    }
    const blocked = await app.request(
      "/connexion",
      form({ email: user.email, password: TEST_PASSWORD }),
    );
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain("Trop de tentatives");
  });

  test("la 6e inscription depuis une même adresse IP en 30 minutes répond 429", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      const response = await app.request(
        "/inscription",
        form({
          name: `Personne ${index}`,
          email: `personne${index}@exemple.fr`,
          password: "une phrase de passe solide",
          profileKind: "agent",
          jobTitle: "",
          collectivity: "56260",
        }),
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 5)).toEqual([302, 302, 302, 302, 302]);
    expect(statuses[5]).toBe(429);
  });
});
