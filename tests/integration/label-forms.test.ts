import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { getSection } from "../../app/models/label-answers.server";
import { registerApplication } from "../../app/models/label-applications.server";
import { db } from "../../db/client";
import { labelAnswers } from "../../db/schema";
import { form, startTestApp, type TestApp } from "../helpers/app";
import { createTestCampaign } from "../helpers/label";
import { createTestUser, loginCookie } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

/** The JSON an action answers to a fetcher (or conform), for the route `id`. */
const dataPath = (path: string, id: string) => `${path}?_data=${encodeURIComponent(id)}`;

describe("formulaires du label : 400 avec les erreurs par champ et la saisie gardée", () => {
  test("une section avec un nombre invalide : 400, message en français, saisie réaffichée, rien d'enregistré", async () => {
    await createTestCampaign(2051);
    const user = await createTestUser({ collectivityCode: "94018", referent: true });
    const registered = await registerApplication(user, 2051, { carryOver: false });
    if (!registered.ok) throw new Error("inscription refusée");
    const id = registered.value.id;
    const section = (await getSection(user, id, "services-en-ligne"))!;
    const number = section.questions.find((q) => q.kind === "number")!;
    const multiple = section.questions.find((q) => q.kind === "multiple")!;
    const option = multiple.options[0]!;
    const fields = {
      [`q-${number.id}`]: "douze",
      [`v-${number.id}`]: "0",
      [`h-${number.id}`]: number.hash,
      [`q-${multiple.id}`]: option.value,
      [`v-${multiple.id}`]: "0",
      [`h-${multiple.id}`]: multiple.hash,
    };
    const cookie = await loginCookie(user.id);
    const path = `/label/candidatures/${id}/services-en-ligne`;

    // Without JavaScript: the page comes back with the errors and what was typed.
    const page = await app.request(path, { ...form(fields), cookie });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("Saisissez un nombre positif, par exemple 12 ou 12,5.");
    expect(html).toContain("Certaines réponses sont à corriger : rien n&#x27;a été enregistré.");
    expect(html).toMatch(/value="douze"/);
    const checkbox = html.match(new RegExp(`<input[^>]*value="${option.value}"[^>]*>`))?.[0];
    expect(checkbox).toContain('checked=""');

    // The autosave's (fetcher's) answer: conform's result, errors under the field's name.
    const data = await app.request(dataPath(path, "routes/label.candidatures.$id.$section"), {
      ...form({ ...fields, autosave: "1", [`q-${multiple.id}`]: "inconnue" }),
      cookie,
    });
    expect(data.status).toBe(400);
    const body = (await data.json()) as {
      status: string;
      result: { initialValue: Record<string, unknown>; error: Record<string, string[]> };
    };
    expect(body.status).toBe("invalid");
    expect(body.result.error[`q-${number.id}`]).toEqual([
      "Saisissez un nombre positif, par exemple 12 ou 12,5.",
    ]);
    expect(body.result.error[`q-${multiple.id}`]).toEqual([
      "Choisissez parmi les réponses proposées.",
    ]);
    expect(body.result.initialValue[`q-${number.id}`]).toBe("douze");

    const stored = await db
      .select({ id: labelAnswers.questionId })
      .from(labelAnswers)
      .where(eq(labelAnswers.applicationId, id));
    expect(stored).toEqual([]);
  });
});
