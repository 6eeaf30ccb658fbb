import { describe, expect, test } from "vitest";

import { registerApplication, submitApplication } from "../../app/models/label-applications.server";
import { assignJury } from "../../app/models/label-jury.server";
import type { Role } from "../../db/schema";
import { setupBrowserApp } from "../helpers/browser";
import { answerQuestions, createTestCampaign } from "../helpers/label";
import { createTestUser } from "../helpers/users";

const site = setupBrowserApp();

/** A browser without JavaScript, signed in as the user: only the server answers. */
const withoutJavaScript = (userId: string) => site.signedIn(userId, { javaScriptEnabled: false });

describe("formulaires du label sans JavaScript", () => {
  test("un message du jury et un retour écrit refusés reviennent avec leur texte et l'erreur", async () => {
    await createTestCampaign(2091);
    const member = await createTestUser({ collectivityCode: "60057", referent: true });
    const registered = await registerApplication(member, 2091, { carryOver: false });
    if (!registered.ok) throw new Error("inscription refusée");
    const id = registered.value.id;
    await answerQuestions(member, id);
    if (!(await submitApplication(member, id)).ok) throw new Error("dépôt refusé");
    const admin = await createTestUser({ collectivityCode: "75056", roles: ["admin"] });
    const juror = await createTestUser({ collectivityCode: "dep-29", roles: ["jury"] });
    const assigned = await assignJury(
      { ...admin, roles: ["member", "admin"] as Role[] },
      id,
      juror.id,
    );
    if (!assigned.ok) throw new Error("assignation refusée");

    const juryContext = await withoutJavaScript(juror.id);
    const juryPage = await juryContext.newPage();
    await juryPage.goto(`/label/jury/${id}`);
    const long = `Mon avis détaillé : ${"très solide. ".repeat(1600)}`;
    await juryPage.getByLabel("Votre message").fill(long);
    await juryPage.getByRole("button", { name: "Envoyer" }).click();
    await juryPage.getByText("Le message ne peut pas dépasser 20000 caractères.").waitFor();
    expect(await juryPage.getByLabel("Votre message").inputValue()).toBe(long);
    await juryContext.close();

    const adminContext = await withoutJavaScript(admin.id);
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`/label/admin/dossiers/${id}`);
    await adminPage.getByLabel("4 @", { exact: true }).check();
    await adminPage.getByLabel("Retour écrit à la collectivité").fill("Bravo");
    await adminPage.getByRole("button", { name: "Valider le résultat" }).click();
    await adminPage
      .getByText("Écrivez un retour d'au moins quelques mots pour la collectivité.")
      .waitFor();
    expect(await adminPage.getByLabel("Retour écrit à la collectivité").inputValue()).toBe("Bravo");
    expect(await adminPage.getByLabel("4 @", { exact: true }).isChecked()).toBe(true);
    await adminContext.close();
  });
});
