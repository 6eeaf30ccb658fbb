import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

import type { TestApp } from "./app";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** A browser context signed in as the user, by planting a real session cookie. */
export async function signedInContext(
  browser: Browser,
  app: TestApp,
  cookie: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: app.origin, locale: "fr-FR" });
  // A missing element fails with what was awaited, before the test's own timeout hides it.
  context.setDefaultTimeout(45_000);
  const [name, value] = cookie.split("=");
  await context.addCookies([
    { name: name!, value: value!, url: app.origin, httpOnly: true, sameSite: "Lax" },
  ]);
  return context;
}

/**
 * No serious or critical axe-core violation on the page: by the WCAG 2.1 A and AA rules, or with
 * `rules: "all"` by every axe rule (best practices included).
 */
export async function expectAccessible(
  page: Page,
  { rules = "wcag" }: { rules?: "wcag" | "all" } = {},
) {
  const builder = new AxeBuilder({ page });
  if (rules === "wcag") builder.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  const results = await builder.analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
    );
  expect(blocking, `violations sur ${page.url()}`).toEqual([]);
}
