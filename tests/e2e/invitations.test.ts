import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { lastMailLink } from "../helpers/mail-links";
import { createTestUser } from "../helpers/users";

let mailDir: string;

beforeAll(async () => {
  mailDir = await mkdtemp(path.join(tmpdir(), "territoires-invitations-"));
});
afterAll(async () => {
  await rm(mailDir, { recursive: true, force: true });
});
const site = setupBrowserApp(() => ({ MAIL_DIR: mailDir, RATE_LIMITS: "false" }));

describe("invitez une commune voisine dans le navigateur", () => {
  test("invitation → inscription pré-remplie → la collectivité invitante voit la nouvelle membre", async () => {
    const inviter = await createTestUser({ collectivityCode: "56260", name: "Hervé Hôte" });
    const inviterContext = await site.signedIn(inviter.id);
    const page = await inviterContext.newPage();
    await page.goto("/collectivites/56260");
    await expectAccessible(page);
    const neighbours = page.getByRole("region", { name: "Invitez une commune voisine" });
    const firstInvite = neighbours.getByRole("link", { name: /^Inviter/ }).first();
    const neighbourName = ((await firstInvite.textContent()) ?? "").replace(/^Inviter\s*/, "");
    await firstInvite.click();
    await page.waitForURL(/\/invitations\?vers=/);
    await expectAccessible(page);
    await page.getByLabel("Son adresse électronique").fill("pas-une-adresse");
    await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
    await expect
      .poll(() => page.getByText("L'adresse électronique n'est pas valide.").count())
      .toBe(1);
    const email = `voisine-${Date.now()}@exemple.fr`;
    await page.getByLabel("Son adresse électronique").fill(email);
    await page.getByLabel("Votre message (facultatif)").fill("Rejoignez-nous, c'est utile !");
    await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
    await page.waitForURL("**/invitations?envoyee=1");
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Invitation envoyée");
    await expectAccessible(page);

    const visitor = await site.visitor();
    const signup = await visitor.newPage();
    await signup.goto(await lastMailLink(site.app, email, "/inscription"));
    await expectAccessible(signup);
    expect(await signup.getByLabel("Adresse électronique").inputValue()).toBe(email);
    expect(await signup.getByLabel("Votre collectivité").inputValue()).toContain(neighbourName);
    await signup.getByLabel("Nom et prénom").fill("Véra Voisine");
    await signup.getByLabel("Mot de passe").fill("une phrase de passe solide");
    await signup.getByLabel("Élu·e").check();
    await signup.getByRole("button", { name: "Créer mon compte" }).click();
    await signup.waitForURL("**/compte?bienvenue=1");
    // The invitation reached this address: no confirmation left to do.
    expect(
      await signup.getByText("Confirmez votre adresse électronique pour publier").count(),
    ).toBe(0);

    await page.goto("/collectivites/56260");
    const sent = page.getByRole("region", { name: "Invitations envoyées" });
    await expect.poll(() => sent.getByText("Ont rejoint le réseau grâce à vous").count()).toBe(1);
    expect(await sent.textContent()).toContain("Véra Voisine");
    await expectAccessible(page);
    await visitor.close();
    await inviterContext.close();
  });
});
