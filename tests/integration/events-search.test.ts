import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import { logger } from "../../app/utils/logger.server";
import { freePort } from "../../scripts/ports";
import { startTestApp, type TestApp } from "../helpers/app";
import { createTestEvent } from "../helpers/events";
import { createTestUser } from "../helpers/users";

/**
 * This file's app points at a Meilisearch that does not answer (a free port nobody listens on):
 * the events search falls back to PostgreSQL, says so, and logs why.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ MEILI_URL: `http://127.0.0.1:${await freePort()}` });
});
afterAll(async () => app.close());

describe("recherche d'événements sans Meilisearch", () => {
  test("la page cherche dans les titres en PostgreSQL, le signale et consigne la panne", async () => {
    const organiser = await createTestUser({ collectivityCode: "60057", roles: ["organiser"] });
    await createTestEvent(organiser, { title: "Café numérique des bibliothécaires" });
    await createTestEvent(organiser, { title: "Café numérique en brouillon", status: "draft" });
    const warn = vi.spyOn(logger(), "warn");
    try {
      const response = await app.request("/evenements?q=caf%C3%A9%20num%C3%A9rique");
      expect(response.status).toBe(200);
      const html = (await response.text()).replaceAll("&#x27;", "'");
      expect(html).toContain("La recherche avancée est momentanément indisponible");
      expect(html).toContain("Café numérique des bibliothécaires");
      expect(html).not.toContain("Café numérique en brouillon");
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ search: "events" }),
        "search unavailable, falling back to PostgreSQL",
      );
    } finally {
      warn.mockRestore();
    }
  });
});
