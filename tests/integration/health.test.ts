import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { freePort } from "../../scripts/ports";
import { startTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  // Nothing listens on this port: the app must start anyway and report Meilisearch as down.
  app = await startTestApp({ MEILI_URL: `http://127.0.0.1:${await freePort()}` });
});
afterAll(async () => app.close());

describe("santé du service", () => {
  test("/healthz répond 503 en nommant Meilisearch quand il est injoignable, et les pages restent servies", async () => {
    const response = await app.request("/healthz");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "error", down: ["meilisearch"] });
    expect((await app.request("/annuaire?q=vannes")).status).toBe(200);
  });
});
