import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test, vi } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app";
import { launchBrowser } from "../helpers/browser";

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  app = await startTestApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

test("une page servie depuis le cache s'hydrate dans le navigateur sans aucune violation de la CSP", async () => {
  // Until the instance LISTENs for invalidations, nothing is served from memory.
  await vi.waitFor(
    async () => {
      const response = await fetch(`${app.origin}/accessibilite`);
      await response.arrayBuffer();
      expect(response.headers.get("x-page-cache")).toBe("hit");
    },
    { timeout: 10_000, interval: 50 },
  );
  const context = await browser.newContext({ baseURL: app.origin, locale: "fr-FR" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  // The browser's Accept-Encoding names another copy than fetch's: the first visit keeps it.
  await page.goto("/accessibilite");
  const response = await page.goto("/accessibilite");
  expect(response?.headers()["x-page-cache"]).toBe("hit");
  // The inline scripts ran (context, route modules) and React took over the page.
  await page.waitForFunction(() => "__remixRouter" in window);
  await page.getByRole("link", { name: "Mentions légales et données personnelles" }).click();
  await page.waitForURL("**/confidentialite");
  await expect
    .poll(() => page.getByRole("heading", { level: 1 }).textContent())
    .toContain("Mentions légales");
  expect(errors).toEqual([]);
  await context.close();
});
