import { describe, expect, test } from "vitest";

import {
  createSeries,
  createStage,
  decideInvitation,
  inviteHost,
} from "../../app/models/event-series-writes.server";
import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { eventInput } from "../helpers/events";
import { createTestUser } from "../helpers/users";

const site = setupBrowserApp();

describe("cycles d'événements dans le navigateur", () => {
  test("on ouvre le programme d'un cycle, on suit une étape et on s'y inscrit ; les pages du cycle passent axe-core", async () => {
    const organiser = await createTestUser({ collectivityCode: "70299", roles: ["organiser"] });
    const series = await createSeries(organiser, {
      title: "Assises territoriales du navigateur 2027",
      description: "Un cycle d'étapes **partout en France**.",
      status: "published",
    });
    if (!series.ok) throw new Error(JSON.stringify(series));
    const stages = [
      { code: "60057", title: "Étape navigateur de Beauvais", start: "2027-03-12T09:00" },
      { code: "97101", title: "Étape navigateur des Abymes", start: "2027-05-20T09:00" },
    ];
    for (const stage of stages) {
      const referent = await createTestUser({ collectivityCode: stage.code, referent: true });
      expect((await inviteHost(organiser, series.value.id, stage.code)).ok).toBe(true);
      expect((await decideInvitation(referent, series.value.id, stage.code, "accept")).ok).toBe(
        true,
      );
      const created = await createStage(
        referent,
        series.value.id,
        eventInput({
          title: stage.title,
          communeCode: stage.code,
          startsAt: stage.start,
          endsAt: stage.start.replace("T09", "T12"),
          capacity: 5,
        }),
      );
      if (!created.ok) throw new Error(JSON.stringify(created));
    }
    // A host whose référent accepted, whose member has not created the stage yet.
    await createTestUser({ collectivityCode: "56260", referent: true }).then(async (referent) => {
      await inviteHost(organiser, series.value.id, "56260");
      await decideInvitation(referent, series.value.id, "56260", "accept");
    });
    const hostMember = await createTestUser({ collectivityCode: "56260" });
    const member = await createTestUser({ collectivityCode: "13056" });

    const context = await site.signedIn(member.id);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${site.app.origin}/evenements/series`);
    await expectAccessible(page, { rules: "all" });
    await page.getByRole("link", { name: "Assises territoriales du navigateur 2027" }).click();
    await page.waitForURL(/\/evenements\/series\/assises-territoriales-du-navigateur-2027$/);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Assises territoriales du navigateur 2027");
    expect(await page.getByText("heure de la Guadeloupe").count()).toBeGreaterThan(0);
    await expectAccessible(page, { rules: "all" });

    await page.getByRole("link", { name: "Étape navigateur des Abymes" }).first().click();
    await page.waitForURL(/\/evenements\/etape-navigateur-des-abymes$/);
    await expectAccessible(page, { rules: "all" });
    await page.getByRole("button", { name: "M'inscrire" }).click();
    await page.waitForURL(/inscription=confirmee/);
    expect(await page.getByRole("status").first().textContent()).toContain(
      "Votre inscription est confirmée.",
    );
    await page.goto(
      `${site.app.origin}/evenements/series/assises-territoriales-du-navigateur-2027`,
    );
    await expect.poll(() => page.getByText("4 places restantes").count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();

    // The host's member creates the stage; the organiser manages the series.
    const hostContext = await site.signedIn(hostMember.id);
    const hostPage = await hostContext.newPage();
    await hostPage.goto(
      `${site.app.origin}/evenements/series/assises-territoriales-du-navigateur-2027`,
    );
    await hostPage.getByRole("link", { name: "Créer notre étape" }).click();
    await hostPage.waitForURL(/\/etape$/);
    await expectAccessible(hostPage, { rules: "all" });
    await hostContext.close();

    const organiserContext = await site.signedIn(organiser.id);
    const manage = await organiserContext.newPage();
    await manage.goto(
      `${site.app.origin}/evenements/series/assises-territoriales-du-navigateur-2027/gestion`,
    );
    await expectAccessible(manage, { rules: "all" });
    await manage.goto(`${site.app.origin}/evenements/series/nouveau`);
    await expectAccessible(manage, { rules: "all" });
    await organiserContext.close();
  });
});
