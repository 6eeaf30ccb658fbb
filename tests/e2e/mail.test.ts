import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { preferencesOf } from "../../app/models/mail-preferences.server";
import { db } from "../../db/client";
import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { openTopic, prepareForums, reply } from "../helpers/forums";
import { sendQueuedMail } from "../helpers/smtp";
import { createTestUser, loginCookie } from "../helpers/users";

let mailDir: string;
let member: Awaited<ReturnType<typeof createTestUser>>;
const SUBJECT = "Inès Voisine a répondu dans « Partager un tiers-lieu »";

beforeAll(async () => {
  mailDir = await mkdtemp(path.join(tmpdir(), "territoires-mail-"));
});
afterAll(async () => {
  await rm(mailDir, { recursive: true, force: true });
});
// No SMTP_URL: the embedded default writes .eml files.
const site = setupBrowserApp(() => ({ MAIL_DIR: mailDir, RATE_LIMITS: "false" }));
beforeAll(async () => {
  await prepareForums();
  member = await createTestUser({ name: "Marc Membre" });
  const neighbour = await createTestUser({ name: "Inès Voisine" });
  const topic = await openTopic(member, { title: "Partager un tiers-lieu" });
  await reply(neighbour, topic.topicId, "Volontiers !");
  await sendQueuedMail();
});

describe("courriels sans serveur SMTP", () => {
  test("chaque courriel est écrit en .eml et se relit comme il serait parti", async () => {
    const files = (await readdir(mailDir)).filter((name) => name.endsWith(".eml"));
    expect(files).toHaveLength(1);
    const parsed = await simpleParser(await readFile(path.join(mailDir, files[0]!)));
    expect(parsed.subject).toBe(SUBJECT);
    expect(parsed.text).toContain(`${site.app.origin}/forums/`);
    expect(parsed.html).toContain("Voir sur Territoires Internet");
  });

  test("la page « Courriels envoyés » les liste et les montre, pour les seuls admins", async () => {
    const admin = await createTestUser({ roles: ["admin"], name: "Ada Admin" });
    const forbidden = await site.app.request("/admin/courriels", {
      cookie: await loginCookie(member.id),
    });
    expect(forbidden.status).toBe(403);

    const context = await site.signedIn(admin.id);
    const page = await context.newPage();
    await page.goto("/admin/courriels");
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Courriels envoyés");
    await expectAccessible(page);
    await page.getByRole("link", { name: SUBJECT }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(SUBJECT);
    expect(await page.getByText(/^fichier .*\.eml$/).count()).toBe(1);
    expect(await page.getByText("List-Unsubscribe=One-Click", { exact: false }).count()).toBe(1);
    const frame = page.locator("iframe.mail-preview");
    expect(await frame.getAttribute("sandbox")).toBe("");
    await expect
      .poll(() => page.frameLocator("iframe.mail-preview").locator("h1").textContent())
      .toBe(SUBJECT);
    expect(await page.locator("pre.mail-text").textContent()).toContain("Bonjour Marc Membre,");
    await expectAccessible(page, { exclude: ["iframe.mail-preview"] });

    // The mail's own HTML, checked outside the sandboxed preview where axe cannot run.
    const [file] = (await readdir(mailDir)).filter((name) => name.endsWith(".eml"));
    const parsed = await simpleParser(await readFile(path.join(mailDir, file!)));
    const mailPage = await context.newPage();
    await mailPage.setContent(parsed.html || "");
    await expectAccessible(mailPage);
    await context.close();
  });
});

describe("préférences et désabonnement dans le navigateur", () => {
  test("les préférences s'enregistrent sans JavaScript", async () => {
    const withScripts = await site.signedIn(member.id);
    const checked = await withScripts.newPage();
    await checked.goto("/compte/notifications");
    await expectAccessible(checked);
    await withScripts.close();

    const context = await site.signedIn(member.id, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/compte/notifications");
    await page
      .getByRole("group", { name: "Événements près de chez vous ou sur vos thèmes" })
      .getByLabel("Résumé quotidien")
      .check();
    await page.getByLabel("Cybersécurité").check();
    await page.getByRole("button", { name: "Enregistrer mes préférences" }).click();
    await page.waitForURL("**/compte/notifications?enregistre=1");
    expect(await page.getByText("Vos préférences sont enregistrées.").count()).toBe(1);
    const stored = (await preferencesOf(db, [member.id])).get(member.id)!;
    expect(stored.frequencies.events).toBe("daily");
    expect(stored.themes).toEqual(["cybersecurite"]);
    await context.close();
  });

  test("le lien de désabonnement d'un courriel marche sans être connecté", async () => {
    const [file] = (await readdir(mailDir)).filter((n) => n.endsWith(".eml"));
    const parsed = await simpleParser(await readFile(path.join(mailDir, file!)));
    const link = /Ne plus recevoir ces courriels : (\S+)/.exec(parsed.text ?? "")?.[1];
    expect(link).toBeDefined();
    const context = await site.browser.newContext({ locale: "fr-FR" });
    const page = await context.newPage();
    await page.goto(link!);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Me désabonner" }).click();
    await expect
      .poll(() => page.getByRole("status").textContent())
      .toContain("vous ne recevrez plus les courriels « Mentions et réponses à vos messages »");
    await expectAccessible(page);
    expect((await preferencesOf(db, [member.id])).get(member.id)!.frequencies.mentions).toBe(
      "never",
    );
    await context.close();
  });
});
