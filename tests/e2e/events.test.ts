import { describe, expect, test } from "vitest";

import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { createTestUser } from "../helpers/users";

const site = setupBrowserApp();

describe("événements dans le navigateur", () => {
  test("un organisateur crée un événement ; un membre s'inscrit et voit les places baisser dans un autre onglet, sans recharger", async () => {
    const organiser = await createTestUser({ collectivityCode: "60057", roles: ["organiser"] });
    const member = await createTestUser({ collectivityCode: "56260" });

    const organiserContext = await site.signedIn(organiser.id);
    const form = await organiserContext.newPage();
    const errors: string[] = [];
    form.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await form.goto(`${site.app.origin}/evenements/nouveau`);
    await expectAccessible(form, { rules: "all" });
    await form.getByLabel("Titre", { exact: true }).fill("Atelier navigateur des assises");
    await form.getByLabel("Présentation").fill("Un atelier **pratique** pour les agents.");
    await form.getByLabel("Cybersécurité").check();
    await form.getByRole("radio", { name: "Présentiel" }).check();
    await form.getByLabel("Début", { exact: true }).fill("2027-05-12T14:00");
    await form.getByLabel("Fin", { exact: true }).fill("2027-05-12T17:00");
    await form.getByLabel("Commune du lieu (présentiel ou hybride)").fill("Beauvais (60057)");
    await form.getByLabel("Adresse du lieu").fill("Hôtel de ville, 1 rue Desgroux");
    await form.getByLabel("Jauge", { exact: true }).fill("5");
    await form.getByRole("radio", { name: "Publié" }).check();
    await form.getByRole("button", { name: "Enregistrer l'événement" }).click();
    await form.waitForURL(/\/evenements\/atelier-navigateur-des-assises/);
    const url = form.url().split("?")[0]!;
    await expect
      .poll(() => form.getByTestId("places-left").textContent())
      .toBe("5 places restantes");

    const memberContext = await site.signedIn(member.id);
    const watcher = await memberContext.newPage();
    await watcher.goto(url);
    await expectAccessible(watcher, { rules: "all" });
    await expect
      .poll(() => watcher.getByTestId("places-left").textContent())
      .toBe("5 places restantes");
    // Let the page hydrate and join the event's room before the registration happens.
    await watcher.locator('[data-testid="places-left"][data-live="on"]').waitFor();

    const registering = await memberContext.newPage();
    await registering.goto(url);
    await registering.getByRole("button", { name: "M'inscrire" }).click();
    await registering.waitForURL(/inscription=confirmee/);
    expect(await registering.getByRole("status").first().textContent()).toContain(
      "Votre inscription est confirmée.",
    );

    // The other tab was never reloaded: socket.io brought the new count.
    await expect
      .poll(() => watcher.getByTestId("places-left").textContent(), { timeout: 10_000 })
      .toBe("4 places restantes");
    await expect
      .poll(() => form.getByTestId("places-left").textContent())
      .toBe("4 places restantes");

    const list = await memberContext.newPage();
    await list.goto(`${site.app.origin}/evenements`);
    await expect.poll(() => list.getByText("Atelier navigateur des assises").count()).toBe(1);
    await expectAccessible(list, { rules: "all" });
    await list.goto(`${site.app.origin}/evenements?vue=mois&mois=2027-05`);
    await expectAccessible(list, { rules: "all" });
    await list.goto(`${site.app.origin}/evenements/mes-evenements`);
    expect(await list.getByText("Atelier navigateur des assises").count()).toBe(1);
    await expectAccessible(list, { rules: "all" });
    await form.goto(`${url}/gestion`);
    await expectAccessible(form, { rules: "all" });

    // Hydration went well and nothing failed in the browser console.
    expect(errors).toEqual([]);
    await organiserContext.close();
    await memberContext.close();
  });
});
