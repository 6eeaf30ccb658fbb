import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

import { startTestApp, type TestApp } from "./app";
import { loginCookie } from "./users";

async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/**
 * The app and a Chromium for one test file: started before its tests, closed after them (and
 * after the `afterAll` hooks registered later, which run first). `overrides` is read when the app
 * starts, so that it may name what an earlier `beforeAll` prepared (a mail folder…).
 */
export function setupBrowserApp(overrides: () => Record<string, string> = () => ({})) {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startTestApp(overrides());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  const started = () => {
    if (!app || !browser) throw new Error("setupBrowserApp : l'application n'est pas démarrée.");
    return { app, browser };
  };
  /** A fresh context on the app, in French, signed in when a session cookie is given. */
  const newContext = async (options: BrowserContextOptions, cookie?: string) => {
    const { app, browser } = started();
    const context = await browser.newContext({ baseURL: app.origin, locale: "fr-FR", ...options });
    if (!cookie) return context;
    // A missing element fails with what was awaited, before the test's own timeout hides it.
    context.setDefaultTimeout(45_000);
    const [name, value] = cookie.split("=");
    await context.addCookies([
      { name: name!, value: value!, url: app.origin, httpOnly: true, sameSite: "Lax" },
    ]);
    return context;
  };
  return {
    get app() {
      return started().app;
    },
    get browser() {
      return started().browser;
    },
    /** A context signed in as the user, by planting a real session cookie. */
    signedIn: async (userId: string, options: BrowserContextOptions = {}) =>
      newContext(options, await loginCookie(userId)),
    /** A context of a visitor who is not signed in. */
    visitor: (options: BrowserContextOptions = {}) => newContext(options),
  };
}

/**
 * No serious or critical axe-core violation on the page: by the WCAG 2.1 A and AA rules, or with
 * `rules: "all"` by every axe rule (best practices included). `exclude` leaves out elements such
 * as sandboxed iframes, where axe cannot run and would wait for an answer that never comes.
 */
export async function expectAccessible(
  page: Page,
  { rules = "wcag", exclude = [] }: { rules?: "wcag" | "all"; exclude?: string[] } = {},
) {
  const builder = new AxeBuilder({ page });
  if (rules === "wcag") builder.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  for (const selector of exclude) builder.exclude(selector);
  // axe's evaluations have no timeout of their own: a hang must name the page, not the test.
  let watchdog: NodeJS.Timeout | undefined;
  const results = await Promise.race([
    builder.analyze(),
    new Promise<never>((_, reject) => {
      watchdog = setTimeout(
        () => reject(new Error(`axe-core n'a pas répondu en 45 s sur ${page.url()}`)),
        45_000,
      );
    }),
  ]).finally(() => clearTimeout(watchdog));
  const blocking = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
    );
  expect(blocking, `violations sur ${page.url()}`).toEqual([]);
}
