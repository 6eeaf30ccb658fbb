import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { freePort } from "../../scripts/ports";
import { startTestApp, type TestApp } from "../helpers/app";
import { createTestInitiative } from "../helpers/initiatives";

let app: TestApp;
beforeAll(async () => {
  // Nothing listens there: every search finds Meilisearch away.
  app = await startTestApp({ MEILI_URL: `http://127.0.0.1:${await freePort()}` });
});
afterAll(async () => app.close());

describe("recherche d'initiatives sans Meilisearch", () => {
  test("la page liste les dernières initiatives publiées et le dit ; l'API répond 503", async () => {
    await createTestInitiative("56260", { title: "Conseil municipal en direct sur le site" });
    await createTestInitiative("60057", { title: "Brouillon jamais montré", status: "draft" });
    const response = await app.request("/initiatives?q=conseil");
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("La recherche est momentanément indisponible");
    expect(page).toContain("Conseil municipal en direct sur le site");
    expect(page).not.toContain("Brouillon jamais montré");

    const api = await app.request("/api/v1/initiatives?q=conseil");
    expect(api.status).toBe(503);
    expect(api.headers.get("retry-after")).toBe("10");
  });
});
