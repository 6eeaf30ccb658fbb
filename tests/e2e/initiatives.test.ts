import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { startIndexer, type Indexer } from "../../search/indexer";
import "../../search/indexes";
import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { createTestInitiative } from "../helpers/initiatives";
import { createTestUser } from "../helpers/users";

let indexer: Indexer;
const site = setupBrowserApp();
beforeAll(() => {
  indexer = startIndexer({ intervalMs: 100 });
});
afterAll(async () => {
  await indexer?.close();
});

describe("initiatives dans le navigateur", () => {
  test("un membre crée une initiative, la retrouve avec une faute de frappe et l'ouvre", async () => {
    const member = await createTestUser({ collectivityCode: "60057", name: "Inès Médiatrice" });
    const context = await site.signedIn(member.id);
    const page = await context.newPage();

    await page.goto("/initiatives/nouvelle");
    await expectAccessible(page);
    await page.getByLabel("Titre").fill("Permanences numériques à la ludothèque municipale");
    await page
      .getByLabel("Résumé")
      .fill(
        "Chaque mercredi, une médiatrice accompagne les parents dans leurs démarches pendant que les enfants jouent.",
      );
    await page.getByLabel("Inclusion et médiation numérique").check();
    await page
      .getByLabel("Description détaillée")
      .fill("## Le contexte\n\nDes parents **débordés**.");
    // The live preview is rendered by the server while typing.
    await expect.poll(() => page.locator(".preview strong").textContent()).toBe("débordés");
    await page.getByLabel("Publiée (visible par tous)").check();
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await page.waitForURL(/\/initiatives\/permanences-numeriques-a-la-ludotheque-municipale/);
    await expectAccessible(page);

    await page.goto("/initiatives");
    await page.getByLabel("Mots-clés").fill("ludotheqe");
    await expect
      .poll(
        async () => {
          await page.getByRole("main").getByRole("button", { name: "Rechercher" }).click();
          return page
            .getByRole("link", { name: "Permanences numériques à la ludothèque municipale" })
            .count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    await expectAccessible(page);
    await page
      .getByRole("link", { name: "Permanences numériques à la ludothèque municipale" })
      .click();
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toContain("Permanences numériques à la ludothèque municipale");
    await context.close();
  });

  test("un titre vide et aucun thème donnent une erreur claire sur chaque champ, sans JavaScript", async () => {
    const member = await createTestUser({ collectivityCode: "60057" });
    const context = await site.signedIn(member.id);
    await context.route("**/*.js", (route) => route.abort());
    const page = await context.newPage();
    await page.goto("/initiatives/nouvelle");
    await page.getByLabel("Résumé").fill("Un résumé assez long pour être valide ici.");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => page.getByText("Le titre est requis.").count()).toBe(1);
    await expect.poll(() => page.getByText("Choisissez au moins un thème.").count()).toBe(1);
    // What was typed is still there.
    expect(await page.getByLabel("Résumé").inputValue()).toBe(
      "Un résumé assez long pour être valide ici.",
    );
    await expectAccessible(page);
    await context.close();
  });

  test("deux onglets modifient la même initiative : le second voit ce qui a changé, garde son texte et peut enregistrer", async () => {
    const member = await createTestUser({ collectivityCode: "60057" });
    const { slug } = await createTestInitiative("60057", {
      title: "Permanence numérique du samedi",
      body: "Le texte d'origine.",
    });
    const context = await site.signedIn(member.id);
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto(`/initiatives/${slug}/modifier`);
    await second.goto(`/initiatives/${slug}/modifier`);

    await first.getByLabel("Titre").fill("Permanence numérique du samedi matin");
    await first.getByRole("button", { name: "Enregistrer" }).click();
    await first.waitForURL(/modifiee=1/);

    await second.getByLabel("Description détaillée").fill("Mon texte écrit dans le second onglet.");
    await second.getByRole("button", { name: "Enregistrer" }).click();
    await expect
      .poll(
        () =>
          second
            .getByText(
              "Modifié entre-temps. Version enregistrée : « Permanence numérique du samedi matin »",
            )
            .count(),
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await second.getByLabel("Description détaillée").inputValue()).toBe(
      "Mon texte écrit dans le second onglet.",
    );
    await expectAccessible(second);

    // Having read it, the person keeps the other title and saves their text.
    await second.getByLabel("Titre").fill("Permanence numérique du samedi matin");
    await second.getByRole("button", { name: "Enregistrer" }).click();
    await second.waitForURL(/modifiee=1/);
    await expect
      .poll(() => second.getByText("Mon texte écrit dans le second onglet.").count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await context.close();
  });
});
