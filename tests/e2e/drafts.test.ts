import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, test } from "vitest";

import { db } from "../../db/client";
import { sessions } from "../../db/schema";
import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { openTopic, prepareForums } from "../helpers/forums";
import { createTestUser, TEST_PASSWORD } from "../helpers/users";

/** Nothing typed is lost when the session expired (issue 10, item 15). */

const site = setupBrowserApp();
beforeAll(prepareForums);

type Member = Awaited<ReturnType<typeof createTestUser>>;

/** The session ends on the server while the page stays open, as after 30 days or a logout elsewhere. */
async function expireSessions(member: Member) {
  await db.delete(sessions).where(eq(sessions.userId, member.id));
}

async function signInAgain(page: Page, member: Member) {
  await page.waitForURL(/\/connexion\?redirectTo=/);
  await page.getByLabel("Adresse électronique").fill(member.email);
  await page.getByLabel("Mot de passe").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

const longText = `## Le contexte\n\n${"Un long texte écrit pendant une heure. ".repeat(40)}`;

describe("texte envoyé après l'expiration de la session", () => {
  test("une initiative écrite longuement est rendue après la reconnexion", async () => {
    const member = await createTestUser({ collectivityCode: "60057" });
    const context = await site.signedIn(member.id);
    const page = await context.newPage();
    await page.goto("/initiatives/nouvelle");
    await page.getByLabel("Titre").fill("Un atelier de réparation numérique");
    await page.getByLabel("Description détaillée").fill(longText);
    await expireSessions(member);
    await page.getByRole("button", { name: "Enregistrer" }).click();

    await signInAgain(page, member);
    await page.waitForURL(/\/initiatives\/nouvelle$/);
    const banner = page.getByRole("status").filter({ hasText: "Votre session avait expiré" });
    await banner.waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Remettre mon texte dans le formulaire" }).click();
    expect(await page.getByLabel("Titre").inputValue()).toBe("Un atelier de réparation numérique");
    expect(await page.getByLabel("Description détaillée").inputValue()).toBe(longText);
    expect(await banner.count()).toBe(0);
    await context.close();
  });

  test("une réponse dans un forum est rendue ; une réponse bien envoyée n'est pas proposée", async () => {
    const member = await createTestUser();
    const topic = await openTopic(member, { title: "Sujet pour la reconnexion" });
    const context = await site.signedIn(member.id);
    const page = await context.newPage();
    await page.goto(topic.path);
    await page.getByLabel("Votre message").fill("Une réponse envoyée normalement.");
    await page.getByRole("button", { name: "Publier la réponse" }).click();
    await page.getByText("Une réponse envoyée normalement.").last().waitFor();
    await page.reload();
    expect(await page.getByText("Votre session avait expiré").count()).toBe(0);

    await page.getByLabel("Votre message").fill("Une réponse perdue sans ce filet.");
    await expireSessions(member);
    await page.getByRole("button", { name: "Publier la réponse" }).click();
    await signInAgain(page, member);
    await page.getByText("Votre session avait expiré").waitFor();
    await page.getByRole("button", { name: "Remettre mon texte dans le formulaire" }).click();
    expect(await page.getByLabel("Votre message").inputValue()).toBe(
      "Une réponse perdue sans ce filet.",
    );
    await context.close();
  });
});
