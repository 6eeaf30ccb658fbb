import { describe, expect, test, vi } from "vitest";

import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { createTestUser } from "../helpers/users";

const site = setupBrowserApp();

describe("parcours dans le navigateur", () => {
  test("inscription → validation par la référente → connexion → page compte", async () => {
    const referent = await createTestUser({
      collectivityCode: "70299",
      referent: true,
      name: "Claire Référente",
    });
    const visitor = await site.visitor();
    const page = await visitor.newPage();
    await page.goto("/inscription");
    await page.getByLabel("Nom et prénom").fill("Paul Nouveau");
    await page.getByLabel("Adresse électronique").fill("paul.nouveau@lavoncourt.fr");
    await page.getByLabel("Mot de passe").fill("une phrase de passe solide");
    await page.getByLabel("Fonction").fill("Secrétaire de mairie");
    await page.getByLabel("Agent·e").check();
    const picker = page.getByLabel("Votre collectivité");
    await picker.fill("Lavonc");
    await expect.poll(() => page.locator("datalist option").count()).toBeGreaterThan(0);
    await picker.fill("Lavoncourt (70299)");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await page.waitForURL("**/compte?bienvenue=1");
    await expect.poll(() => page.getByText("en attente de validation").count()).toBe(1);

    const referentContext = await site.signedIn(referent.id);
    const referentPage = await referentContext.newPage();
    await referentPage.goto("/collectivites/70299");
    await referentPage.getByRole("button", { name: "Valider Paul Nouveau" }).click();
    await expect.poll(() => referentPage.getByText("Adhésion validée.").count()).toBe(1);

    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.waitForURL(site.app.origin + "/");
    await page.goto("/connexion");
    await page.getByLabel("Adresse électronique").fill("paul.nouveau@lavoncourt.fr");
    await page.getByLabel("Mot de passe").fill("une phrase de passe solide");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.waitForURL(site.app.origin + "/");
    await page.getByRole("link", { name: "Paul Nouveau" }).click();
    await expect.poll(() => page.getByText("validée", { exact: true }).count()).toBe(1);
    await expectAccessible(page);
    await visitor.close();
    await referentContext.close();
  });

  test("l'annuaire trouve Lavoncourt par son nom et par son code postal", async () => {
    const context = await site.visitor();
    const page = await context.newPage();
    await page.goto("/annuaire");
    await page.getByLabel("Nom, code postal, code Insee ou Siren").fill("lavoncourt");
    await page.getByRole("main").getByRole("button", { name: "Rechercher" }).click();
    await expect
      .poll(() => page.getByRole("link", { name: "Lavoncourt", exact: true }).count())
      .toBe(1);
    await page.goto("/annuaire?q=70120");
    await expect
      .poll(() => page.getByRole("link", { name: "Lavoncourt", exact: true }).count())
      .toBe(1);
    await page.getByRole("link", { name: "Lavoncourt", exact: true }).click();
    // Wait for the navigation itself: on a busy machine it outlasts expect.poll's one second.
    await page.waitForURL("**/collectivites/70299");
    await page.getByRole("heading", { level: 1, name: "Lavoncourt" }).waitFor();
    await context.close();
  });

  test.each([
    "/",
    "/annuaire",
    "/annuaire?q=vannes",
    "/inscription",
    "/connexion",
    "/collectivites/56260",
    "/accessibilite",
    "/confidentialite",
  ])("la page %s n'a pas de violation d'accessibilité grave", async (path) => {
    const context = await site.visitor();
    const page = await context.newPage();
    await page.goto(path);
    await expectAccessible(page);
    await context.close();
  });

  test("l'inscription fonctionne sans JavaScript et signale l'erreur sur le champ", async () => {
    const context = await site.visitor({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/inscription");
    await page.getByLabel("Adresse électronique").fill("pas-une-adresse");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect
      .poll(() => page.getByText("L'adresse électronique n'est pas valide.").count())
      .toBe(1);
    // axe-core needs JavaScript; here we check the wiring it would check: the field is marked
    // invalid and points to its message.
    const email = page.getByLabel("Adresse électronique");
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await email.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`[id="${describedBy.split(" ").pop()}"]`).textContent()).toContain(
      "n'est pas valide",
    );
    await context.close();
  });
});

test("une page servie depuis le cache s'hydrate dans le navigateur sans aucune violation de la CSP", async () => {
  // Until the instance LISTENs for invalidations, nothing is served from memory.
  await vi.waitFor(
    async () => {
      const response = await fetch(`${site.app.origin}/accessibilite`);
      await response.arrayBuffer();
      expect(response.headers.get("x-page-cache")).toBe("hit");
    },
    { timeout: 10_000, interval: 50 },
  );
  const context = await site.visitor();
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
