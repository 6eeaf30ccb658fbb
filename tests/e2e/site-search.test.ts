import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test, vi } from "vitest";

import {
  defaultProfileSettings,
  updateProfileSettings,
} from "../../app/models/member-profiles.server";
import { expectAccessible, setupBrowserApp } from "../helpers/browser";
import { deleteSearchIndexes, openTopic, prepareForums, reply } from "../helpers/forums";
import { createTestInitiative, drainOutbox } from "../helpers/initiatives";
import { createTestUser } from "../helpers/users";

let topicPath: string;
let targetPostId: number;
let profileId: string;

const site = setupBrowserApp();
beforeAll(async () => {
  await prepareForums();
  await createTestInitiative("56260", { title: "Signalement de voirie par les habitants" });
  // A long topic: the reply that holds the word sits far below the top of the page.
  const authors = await Promise.all([1, 2, 3].map(() => createTestUser()));
  const topic = await openTopic(authors[0]!, { title: "Outils pour l'entretien des rues" });
  topicPath = topic.path;
  for (let index = 0; index < 12; index += 1) {
    await reply(
      authors[index % 3]!,
      topic.topicId,
      `Retour d'expérience numéro ${index + 1} sur l'entretien des trottoirs et des chaussées.\n\n${"Un long paragraphe de contexte. ".repeat(12)}`,
    );
  }
  targetPostId = await reply(
    authors[1]!,
    topic.topicId,
    "Chez nous, chaque lampadaire en panne est signalé depuis une appli libre.",
  );
  const person = await createTestUser({ name: "Soizic Le Bihan" });
  await updateProfileSettings(person.id, { ...defaultProfileSettings, visibility: "public" });
  profileId = person.id;
  await drainOutbox();
});
afterAll(deleteSearchIndexes);

/** Whether the element's top is inside the window (the page scrolled to it). */
const inViewport = (page: Page, selector: string) =>
  page.locator(selector).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight;
  });

async function expectReplyOpenedHighlighted(page: Page) {
  await page.waitForURL(new RegExp(`#message-${targetPostId}$`));
  expect(new URL(page.url()).pathname).toBe(topicPath);
  const marks = page.locator(`#message-${targetPostId} mark`);
  // With JavaScript the URL may change a moment before the topic is rendered.
  await marks.first().waitFor();
  expect(await marks.allTextContents()).toEqual(["lampadaire"]);
  // Only that post is highlighted.
  expect(await page.locator("article.post mark").count()).toBe(1);
  await vi.waitFor(async () =>
    expect(await inViewport(page, `#message-${targetPostId}`)).toBe(true),
  );
}

test("la boîte de l'en-tête suggère pendant la frappe, Entrée ouvre /recherche, une réponse ouvre le sujet à ce message surligné", async () => {
  const context = await site.visitor();
  const page = await context.newPage();
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "Rechercher sur tout le site" });
  await box.pressSequentially("voirie", { delay: 30 });
  const suggestion = page.getByRole("option", { name: /Signalement de voirie par les habitants/ });
  await suggestion.waitFor();
  expect(await page.getByRole("option").last().textContent()).toContain(
    "Rechercher « voirie » partout",
  );

  await box.press("Enter");
  await page.waitForURL(/\/recherche\?q=voirie$/);
  await page.getByRole("heading", { name: /résultats? pour « voirie »/ }).waitFor();
  await page
    .getByRole("link", { name: /Signalement de voirie par les habitants/ })
    .first()
    .waitFor();

  // A reply's hit, chosen among the suggestions, opens the topic at that reply.
  const header = page.getByRole("combobox", { name: "Rechercher sur tout le site" });
  await header.fill("");
  await header.pressSequentially("lampadaire", { delay: 30 });
  const replyOption = page.getByRole("option", { name: /Outils pour l'entretien des rues/ });
  await replyOption.waitFor();
  await replyOption.click();
  await expectReplyOpenedHighlighted(page);

  // The same from the results page.
  await page.goto("/recherche?q=lampadaire");
  await page
    .locator("#resultats-posts")
    .locator("xpath=..")
    .getByRole("link", { name: /Outils pour l'entretien des rues/ })
    .click();
  await expectReplyOpenedHighlighted(page);
  await context.close();
});

test("sans JavaScript, le formulaire de l'en-tête mène aux résultats et au message surligné", async () => {
  const context = await site.visitor({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  // Without JavaScript the field offers no suggestions: a plain search field, not a combobox.
  await page.getByRole("searchbox", { name: "Rechercher sur tout le site" }).fill("lampadaire");
  await page.getByRole("search").getByRole("button", { name: "Rechercher" }).click();
  await page.waitForURL(/\/recherche\?q=lampadaire$/);
  await page.getByRole("heading", { name: "1 résultat pour « lampadaire »" }).waitFor();
  await page.getByRole("link", { name: /Outils pour l'entretien des rues/ }).click();
  await expectReplyOpenedHighlighted(page);
  await context.close();
});

test("axe-core ne trouve rien de grave sur /recherche et /membres/:id", async () => {
  const context = await site.visitor();
  const page = await context.newPage();
  await page.goto("/recherche?q=voirie");
  await page.getByRole("heading", { name: /pour « voirie »/ }).waitFor();
  await expectAccessible(page);
  await page.goto("/recherche");
  await expectAccessible(page);
  await page.goto(`/membres/${profileId}`);
  await page.getByRole("heading", { name: "Soizic Le Bihan", exact: true }).waitFor();
  await expectAccessible(page);
  await context.close();

  // A member sees the contact form too.
  const member = await createTestUser();
  const signedIn = await site.signedIn(member.id);
  const memberPage = await signedIn.newPage();
  await memberPage.goto(`/membres/${profileId}`);
  await memberPage.getByRole("button", { name: "Envoyer le message" }).waitFor();
  await expectAccessible(memberPage);
  await signedIn.close();
});
