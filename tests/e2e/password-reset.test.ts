import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { sendQueuedMail } from "../helpers/smtp";
import { createTestUser } from "../helpers/users";

let mailDir: string;
const NEW_PASSWORD = "la mer monte vite en baie de Quiberon";

beforeAll(async () => {
  mailDir = await mkdtemp(path.join(tmpdir(), "territoires-reset-"));
});
afterAll(async () => {
  await rm(mailDir, { recursive: true, force: true });
});
// No SMTP_URL: the embedded default writes .eml files, listed on /admin/courriels.
const site = setupBrowserApp(() => ({ MAIL_DIR: mailDir, RATE_LIMITS: "false" }));

describe("mot de passe oublié dans le navigateur", () => {
  test("demande, courriel dans « Courriels envoyés », nouveau mot de passe, connexion", async () => {
    const member = await createTestUser({ name: "Yannick Oublieux" });
    const admin = await createTestUser({ roles: ["admin"], name: "Ada Admin" });
    const visitor = await site.visitor();
    const page = await visitor.newPage();
    await page.goto("/connexion");
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    await page.waitForURL("**/mot-de-passe-oublie");
    await expectAccessible(page);
    await page.getByLabel("Adresse électronique").fill(member.email);
    await page.getByRole("button", { name: "Recevoir le lien" }).click();
    await expect
      .poll(() => page.getByRole("status").textContent())
      .toContain("Si un compte correspond à cette adresse");
    await expectAccessible(page);
    await sendQueuedMail();

    const adminContext = await site.signedIn(admin.id);
    const outbox = await adminContext.newPage();
    await outbox.goto("/admin/courriels");
    await outbox.getByRole("link", { name: "Choisir un nouveau mot de passe" }).click();
    await expect
      .poll(() => outbox.getByRole("heading", { level: 1 }).textContent())
      .toBe("Choisir un nouveau mot de passe");
    const text = (await outbox.locator("pre.mail-text").textContent()) ?? "";
    expect(text).toContain("Bonjour Yannick Oublieux,");
    const link = /Choisir un nouveau mot de passe : (\S+)/.exec(text)?.[1];
    expect(link).toMatch(new RegExp(`^${site.app.origin}/mot-de-passe/[a-z2-7]{40}$`));
    await adminContext.close();

    await page.goto(link!);
    await expectAccessible(page);
    await page.getByLabel("Nouveau mot de passe").fill("court");
    await page.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    await expect
      .poll(() => page.getByText("Le mot de passe doit compter au moins 12 caractères.").count())
      .toBe(1);
    await expectAccessible(page);
    await page.getByLabel("Nouveau mot de passe").fill(NEW_PASSWORD);
    // Leaving the field clears its error first: the button must not move under the click.
    await page.getByLabel("Nouveau mot de passe").blur();
    await page.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    await page.waitForURL("**/connexion?motDePasse=change");
    expect(await page.getByRole("status").textContent()).toContain(
      "Votre mot de passe a été changé",
    );

    await page.getByLabel("Adresse électronique").fill(member.email);
    await page.getByLabel("Mot de passe", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/compte");
    expect(new URL(page.url()).pathname).toBe("/compte");
    await visitor.close();
  });
});
