import { describe, expect, test } from "vitest";

import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { answerQuestions, createTestCampaign } from "../helpers/label";
import { createTestUser } from "../helpers/users";

const site = setupBrowserApp();

describe("le label dans le navigateur", () => {
  test("inscription, questionnaire en deux sessions (dont une sans JavaScript), jury, validation, palmarès et panneau", async () => {
    await createTestCampaign(2090);
    const referent = await createTestUser({
      collectivityCode: "13056",
      referent: true,
      name: "Stéphane Delahaye",
    });
    const juryA = await createTestUser({
      collectivityCode: "dep-29",
      roles: ["jury"],
      name: "Jeanne Jury",
    });
    const juryB = await createTestUser({
      collectivityCode: "75056",
      roles: ["jury"],
      name: "Paul Jury",
    });
    const admin = await createTestUser({
      collectivityCode: "60057",
      roles: ["admin"],
      name: "Équipe Label",
    });

    // Session 1, with JavaScript: registration and a first section, saved automatically.
    const first = await site.signedIn(referent.id);
    let page = await first.newPage();
    await page.goto("/label");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Inscrire ma collectivité" }).click();
    await page.waitForURL(/\/label\/candidatures\/\w+\?inscrite=1/);
    const applicationUrl = new URL(page.url()).pathname;
    const applicationId = applicationUrl.split("/").at(-1)!;
    await page.getByRole("link", { name: "Démocratie et citoyenneté" }).click();
    await page.waitForURL(/democratie-citoyennete$/);
    await expectAccessible(page);
    await page
      .getByRole("group", { name: /Consultez-vous les habitants en ligne/ })
      .getByLabel("Oui")
      .check();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Brouillon enregistré" }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await first.close();

    // Session 2, without JavaScript: the draft is there; the next section is saved by the button.
    const second = await site.signedIn(referent.id, { javaScriptEnabled: false });
    page = await second.newPage();
    await page.goto(`${applicationUrl}/democratie-citoyennete`);
    const consultation = page.getByRole("group", { name: /Consultez-vous les habitants en ligne/ });
    expect(await consultation.getByLabel("Oui").isChecked()).toBe(true);
    await page.goto(`${applicationUrl}/services-en-ligne`);
    await page.getByLabel("Demandes d'état civil").check();
    await page
      .getByRole("group", { name: /déclaration d'accessibilité/ })
      .getByLabel("Oui")
      .check();
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.waitForURL(/enregistre=1/);
    await page.getByText("Réponses enregistrées.").waitFor();
    expect(await page.getByLabel("Demandes d'état civil").isChecked()).toBe(true);
    // The colleagues answer the other required questions.
    await answerQuestions(referent, applicationId);
    await page.goto(`${applicationUrl}/mosaique`);
    await page.getByRole("table").waitFor();
    await page.goto(applicationUrl);
    await page.getByRole("button", { name: "Déposer le dossier" }).click();
    await page.waitForURL(/depose=1/);
    await second.close();

    // The admin gives the application to two jury members.
    const adminContext = await site.signedIn(admin.id);
    const adminPage = await adminContext.newPage();
    // axe needs JavaScript in the page: the mosaïque is checked here, as the admin sees it.
    await adminPage.goto(`${applicationUrl}/mosaique`);
    await expectAccessible(adminPage);
    for (const juror of [juryA, juryB]) {
      await adminPage.goto(`/label/admin/dossiers/${applicationId}`);
      await adminPage.getByLabel("Confier à").selectOption({ label: juror.name });
      await adminPage.getByRole("button", { name: "Confier le dossier" }).click();
      await adminPage.waitForURL(/assigne=1/);
    }

    // Each jury member scores the application and proposes 4 @.
    for (const juror of [juryA, juryB]) {
      const context = await site.signedIn(juror.id);
      const juryPage = await context.newPage();
      await juryPage.goto("/label/jury");
      await juryPage.getByRole("link", { name: "Martigues" }).click();
      await expectAccessible(juryPage);
      await juryPage.getByLabel("Services en ligne").selectOption("3");
      await juryPage.getByLabel("4 @", { exact: true }).check();
      await juryPage.getByLabel(/Appréciation/).fill("Une démarche collective solide.");
      await juryPage.getByRole("button", { name: "Enregistrer mon évaluation" }).click();
      await juryPage.waitForURL(/evaluation=1/);
      await context.close();
    }

    // The admin validates 4 @ and publishes.
    await adminPage.goto(`/label/admin/dossiers/${applicationId}`);
    await adminPage.getByLabel("4 @", { exact: true }).check();
    await adminPage
      .getByLabel("Retour écrit à la collectivité")
      .fill("Bravo pour ce dossier très complet.");
    await adminPage.getByRole("button", { name: "Valider le résultat" }).click();
    await adminPage.waitForURL(/valide=1/);
    await adminPage.goto("/label/admin/2090");
    await adminPage.getByRole("button", { name: "Publier le palmarès maintenant" }).click();
    await adminPage.waitForURL(/\/label\/2090$/);

    // Public: palmarès, collectivity page, verification page, panel downloads, statistics.
    const visitor = await site.visitor();
    const pub = await visitor.newPage();
    await pub.goto("/label/2090");
    await pub
      .locator(".laureate", { hasText: "Martigues" })
      .getByRole("img", { name: "4 arobases" })
      .waitFor();
    await expectAccessible(pub);
    await pub.goto("/collectivites/13056");
    await pub.getByRole("link", { name: "Label 2090" }).waitFor();
    await pub.goto("/label/verifier/13056");
    await pub.getByRole("heading", { name: /label 2090, 4 arobases/ }).waitFor();
    for (const format of ["SVG", "PNG"]) {
      const download = pub.waitForEvent("download");
      await pub.getByRole("link", { name: `Télécharger le panneau (${format})` }).click();
      expect((await download).suggestedFilename()).toBe(
        `panneau-label-2090-13056.${format.toLowerCase()}`,
      );
    }
    await pub.goto("/label/statistiques");
    await pub.getByRole("heading", { name: "Statistiques du label" }).waitFor();
    await expectAccessible(pub);
    await visitor.close();
    await adminContext.close();
  }, 240_000);
});
