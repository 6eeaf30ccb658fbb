import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { deleteAccount } from "../../app/models/account-lifecycle.server";
import { searchInitiatives } from "../../app/models/initiative-search.server";
import { db } from "../../db/client";
import { initiatives } from "../../db/schema";
import { indexName, searchClient } from "../../search/client";
import { startTestApp, type TestApp } from "../helpers/app";
import { createTestInitiative, drainOutbox } from "../helpers/initiatives";
import { createTestUser } from "../helpers/users";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

const titlesFound = async (q: string) =>
  (await searchInitiatives({ q, page: 1, pageSize: 20 })).items.map((item) => item.title);

describe("recherche d'initiatives : PostgreSQL a le dernier mot", () => {
  test("une initiative repassée en brouillon disparaît des résultats avant même que l'index le sache", async () => {
    const { id } = await createTestInitiative("56260", {
      title: "Kermesse numérique xylographique",
    });
    await drainOutbox();
    expect(await titlesFound("xylographique")).toEqual(["Kermesse numérique xylographique"]);

    // The index still has it (no outbox row): only PostgreSQL knows it is a draft now.
    await db.update(initiatives).set({ status: "draft" }).where(eq(initiatives.id, id));
    const result = await searchInitiatives({ q: "xylographique", page: 1, pageSize: 20 });
    expect(result.items).toEqual([]);
    expect(result.total).toBe(0);
    const page = await (await app.request("/initiatives?q=xylographique")).text();
    expect(page).not.toContain("Kermesse numérique xylographique");
    expect(page).toContain("Aucune initiative trouvée");
  }, 60_000);

  test("un compte supprimé : son nom quitte les documents de recherche des initiatives qui le créditaient", async () => {
    const member = await createTestUser({ collectivityCode: "56260", name: "Maëlys Quillivic" });
    const { id } = await createTestInitiative("56260", {
      title: "Atelier de réparation des ordinateurs",
      contributors: [{ userId: member.id, name: "Maëlys Quillivic", role: "" }],
    });
    await drainOutbox();
    // The people credited are searchable ("qui contacter")…
    expect(await titlesFound("Quillivic")).toEqual(["Atelier de réparation des ordinateurs"]);

    await deleteAccount(member.id);
    await drainOutbox();
    // …and a deleted account's name leaves the index with it.
    expect(await titlesFound("Quillivic")).toEqual([]);
    const document = await searchClient()
      .index(indexName("initiatives"))
      .getDocument(id, { fields: ["contributors"] });
    expect(document.contributors).toEqual(["Ancien membre"]);
  }, 60_000);
});
