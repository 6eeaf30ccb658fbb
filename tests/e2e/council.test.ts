import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";

import { openCall } from "../../app/models/council-topics.server";
import { createPartner } from "../../app/models/organisations.server";
import { db } from "../../db/client";
import { councilVotes } from "../../db/schema";
import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { createTestUser } from "../helpers/users";

const site = setupBrowserApp();

const hour = 60 * 60 * 1000;

const pageOf = async (userId: string) => (await site.signedIn(userId)).newPage();

test("un sujet proposé, deux référents votent, la clôture montre le résultat", async () => {
  const partner = await createPartner({
    name: "Université du Littoral Test",
    kind: "ecole-universite",
    college: "education-recherche",
    description: "",
  });
  if (!partner.ok) throw new Error("partner");
  const collectivityReferent = await createTestUser({ collectivityCode: "56260", referent: true });
  const partnerReferent = await createTestUser({
    collectivityCode: `org-${partner.value.slug}`,
    referent: true,
  });
  const admin = await createTestUser({ roles: ["admin"], collectivityCode: "29019" });
  const call = await openCall({
    year: 2031,
    title: "Appel à sujets 2031",
    opensAt: new Date(Date.now() - hour),
    closesAt: new Date(Date.now() + hour),
  });
  if (!call.ok) throw new Error("call");

  const proposer = await pageOf(collectivityReferent.id);
  await proposer.goto(`${site.app.origin}/conseil`);
  await expectAccessible(proposer);
  await proposer.getByRole("link", { name: "Proposer un sujet" }).click();
  await proposer
    .getByLabel("Titre du sujet")
    .fill("Mutualiser les délégués à la protection des données");
  await proposer
    .getByLabel("Pourquoi ce sujet ?")
    .fill("Les petites communes n'ont pas les moyens d'un DPO chacune.");
  await proposer.getByLabel("Résultat attendu").fill("Un modèle de convention de mutualisation.");
  await proposer.getByRole("checkbox").first().check();
  await expectAccessible(proposer);
  await proposer.getByRole("button", { name: "Proposer le sujet" }).click();
  await proposer.getByRole("heading", { name: "Mutualiser les délégués" }).waitFor();
  await expectAccessible(proposer);

  // The admin opens the vote through the form (Paris time).
  const adminPage = await pageOf(admin.id);
  await adminPage.goto(`${site.app.origin}/conseil/admin`);
  await expectAccessible(adminPage);
  const local = (offset: number) =>
    new Intl.DateTimeFormat("sv-SE", {
      timeZone: "Europe/Paris",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .format(new Date(Date.now() + offset))
      .replace(" ", "T");
  await adminPage.getByLabel("Titre du vote").fill("Choix des sujets 2031");
  await adminPage.getByLabel("Ouverture du vote").fill(local(-hour));
  await adminPage.getByLabel("Clôture du vote").fill(local(hour));
  await adminPage.getByRole("button", { name: "Ouvrir le vote" }).click();
  await adminPage.getByRole("heading", { name: "Choix des sujets 2031" }).waitFor();
  const voteUrl = adminPage.url();
  const voteId = voteUrl.split("/").pop()!;

  for (const referent of [collectivityReferent, partnerReferent]) {
    const page = await pageOf(referent.id);
    await page.goto(voteUrl);
    await page.getByRole("checkbox", { name: /Mutualiser les délégués/ }).check();
    await page.getByRole("button", { name: "Voter" }).click();
    await page.getByText("Votre reçu").waitFor();
    await expectAccessible(page);
  }
  const sealed = await pageOf(admin.id);
  await sealed.goto(voteUrl);
  await sealed.getByText("Le dépouillement est scellé").waitFor();

  // Time passes: the close moves into the past on PostgreSQL's clock.
  await db
    .update(councilVotes)
    .set({ closesAt: sql`now() - interval '1 second'` })
    .where(eq(councilVotes.id, voteId));
  const results = await pageOf(partnerReferent.id);
  await results.goto(voteUrl);
  const table = results.getByRole("table", { name: /Décompte par sujet/ });
  await table.waitFor();
  const row = table.getByRole("row", { name: /Mutualiser les délégués/ });
  expect(await row.textContent()).toContain("100 %");
  expect(await results.getByText("2 bulletins pour").count()).toBe(1);
  await expectAccessible(results);
  await results.goto(`${site.app.origin}/conseil/verifier`);
  await expectAccessible(results);
});
