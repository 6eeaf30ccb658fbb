import { expect, test, vi } from "vitest";

import { createWorkingGroup } from "../../app/models/groups.server";
import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { drainOutbox } from "../helpers/initiatives";
import { createTestUser } from "../helpers/users";

const site = setupBrowserApp();

const pageOf = async (userId: string) => (await site.signedIn(userId)).newPage();

test("rejoindre un groupe de travail, publier une production trouvée par la recherche", async () => {
  const admin = await createTestUser({ roles: ["admin"], collectivityCode: "29019" });
  const coordinator = await createTestUser({ collectivityCode: "35238" });
  const member = await createTestUser({ collectivityCode: "56260" });
  const created = await createWorkingGroup(admin, {
    topicId: null,
    title: "Guide de l'accessibilité numérique",
    mandate: "Rédiger un guide de l'accessibilité des sites des petites communes.",
    coordinatorId: coordinator.id,
  });
  if (!created.ok) throw new Error(JSON.stringify(created));

  const joining = await pageOf(member.id);
  await joining.goto(`${site.app.origin}/conseil/groupes`);
  await expectAccessible(joining);
  await joining.getByRole("link", { name: "Guide de l'accessibilité numérique" }).click();
  await joining.getByRole("button", { name: "Rejoindre le groupe" }).click();
  await joining.getByText("Vous avez rejoint le groupe de travail.").waitFor();
  await expectAccessible(joining);
  await joining.getByRole("link", { name: "Modifier la page partagée" }).click();
  await joining.getByLabel("Contenu de la page (markdown)").fill("## Décisions\n\n- Un sommaire");
  await expectAccessible(joining);
  await joining.getByRole("button", { name: "Enregistrer une nouvelle version" }).click();
  await joining.getByRole("heading", { name: "Version 1 de la page partagée" }).waitFor();
  await expectAccessible(joining);

  const coordinating = await pageOf(coordinator.id);
  await coordinating.goto(`${site.app.origin}/conseil/groupes/${created.value.id}`);
  await coordinating.getByRole("link", { name: "Publier une production" }).click();
  await coordinating.getByLabel("Titre").fill("Guide ornithorynque de l'accessibilité");
  await coordinating
    .getByLabel("Résumé")
    .fill("Les étapes pour rendre accessible le site d'une petite commune.");
  await coordinating.getByLabel("Services en ligne").check();
  await expectAccessible(coordinating);
  await coordinating.getByRole("button", { name: "Publier la production" }).click();
  await coordinating
    .getByRole("heading", { name: "Guide ornithorynque de l'accessibilité" })
    .waitFor();
  await coordinating.getByText("Production du groupe de travail").waitFor();

  await drainOutbox();
  const searching = await pageOf(member.id);
  await vi.waitFor(
    async () => {
      await searching.goto(`${site.app.origin}/recherche?q=ornithorynque`);
      expect(await searching.getByRole("link", { name: /Guide ornithorynque/ }).count()).toBe(1);
    },
    { timeout: 20_000, interval: 500 },
  );
}, 120_000);
