import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app";
import { expectAccessible, launchBrowser, signedInContext } from "../helpers/browser";
import { openTopic, prepareForums } from "../helpers/forums";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp();
  await prepareForums();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A browser context signed in as the user (session created directly, not through the form). */
async function signedIn(userId: string): Promise<BrowserContext> {
  return signedInContext(browser, app, await loginCookie(userId));
}

test("une réponse apparaît en direct chez l'autre lecteur, et sa mention allume son badge", async () => {
  const alice = await createTestUser({ name: "Alice Morvan" });
  const bruno = await createTestUser({ name: "Bruno Kerjean" });
  const topic = await openTopic(alice, { title: "Wifi public dans les médiathèques" });
  const pageA = await (await signedIn(alice.id)).newPage();
  const pageB = await (await signedIn(bruno.id)).newPage();
  await pageA.goto(`${app.origin}${topic.path}`);
  await pageB.goto(`${app.origin}${topic.path}`);
  // Both sockets have joined once presence counts two readers.
  await pageA.getByTestId("presence").getByText("2 membres lisent ce sujet").waitFor();
  await pageA.evaluate(() => {
    (window as unknown as { sansRechargement: boolean }).sansRechargement = true;
  });

  await pageB
    .getByLabel("Votre message")
    .fill("Bonne idée @alice-morvan, nous avons un portail captif.");
  await pageB.getByRole("button", { name: "Publier la réponse" }).click();

  await pageA.getByText("nous avons un portail captif").waitFor();
  expect(
    await pageA.evaluate(
      () => (window as unknown as { sansRechargement?: boolean }).sansRechargement,
    ),
  ).toBe(true);
  await pageA.getByTestId("notifications").getByText("1", { exact: false }).waitFor();
  expect(await pageA.getByTestId("notifications").textContent()).toContain("1");
});

test("les pages des forums n'ont pas de violation d'accessibilité grave (axe-core)", async () => {
  const alice = await createTestUser();
  const topic = await openTopic(alice, {
    body: "Un message **important** avec une [source](https://exemple.fr).",
  });
  const page = await (await signedIn(alice.id)).newPage();
  for (const path of [
    "/forums",
    "/forums/vie-du-reseau",
    topic.path,
    "/forums/vie-du-reseau/nouveau",
    "/notifications",
  ]) {
    await page.goto(`${app.origin}${path}`);
    await expectAccessible(page, { rules: "all" });
  }
});
