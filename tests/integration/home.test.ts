import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app";
import { createTestInitiative } from "../helpers/initiatives";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

describe("page d'accueil", () => {
  test("présente le réseau avec des chiffres vivants et les dernières initiatives publiées", async () => {
    await createTestUser({ collectivityCode: "56260" });
    await createTestInitiative("56260", { title: "Conseil municipal retransmis en direct" });
    await createTestInitiative("56260", { title: "Brouillon secret de Vannes", status: "draft" });
    const html = await (await app.request("/")).text();
    expect(html).toContain("Le réseau des collectivités qui font le numérique");
    expect(html).toMatch(/<strong>1<\/strong> membres/);
    expect(html).toContain("Conseil municipal retransmis en direct");
    expect(html).not.toContain("Brouillon secret de Vannes");
    expect(html).not.toContain("Pour vous");
  });

  test("montre à un membre connecté ce qui le concerne", async () => {
    const member = await createTestUser({ name: "Gaëlle Connectée" });
    const html = await (await app.request("/", { cookie: await loginCookie(member.id) })).text();
    expect(html).toContain("Bonjour Gaëlle Connectée");
    expect(html).toContain("Pour vous");
    expect(html).toContain("notification");
  });
});
