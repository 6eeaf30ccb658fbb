import { like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { db } from "../../db/client";
import { initiatives } from "../../db/schema";
import { generateSyntheticInitiatives } from "../../scripts/seed/synthetic-initiatives";
import { startTestApp, type TestApp } from "../helpers/app";
import { createTestInitiative } from "../helpers/initiatives";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

type JsonExport = { total: number; items: Array<{ id: string; publishedAt: string }> };

describe("données ouvertes des initiatives", () => {
  test("un titre, un résumé ou un mot-clé écrits comme une formule sortent neutralisés dans le CSV", async () => {
    const { id } = await createTestInitiative("56260", {
      title: '=HYPERLINK("https://malveillant.example","Cliquez ici")',
      summary: "+33 une formule déguisée en numéro de téléphone pour voir.",
      tags: ["-2+3", "@SOMME(A1)"],
      body: "=1+1",
    });
    const response = await app.request("/api/v1/initiatives.csv");
    expect(response.status).toBe(200);
    const csv = await response.text();
    const line = csv.split("\n").find((l) => l.startsWith(`${id},`)) ?? "";
    // csv-stringify's formula escaping: a leading quote makes the cell plain text.
    expect(line).toContain(`"'=HYPERLINK(""https://malveillant.example"",""Cliquez ici"")"`);
    expect(line).toContain(",'+33 une formule");
    expect(line).toContain(",'-2+3|@SOMME(A1),");
    expect(line).toMatch(/,'=1\+1$/);
    expect(csv).not.toMatch(/(^|,)"?[=+@]/m);
    // The BOM stays, for spreadsheets to read the accents.
    expect(
      new Uint8Array(await (await app.request("/api/v1/initiatives.csv")).arrayBuffer()).slice(
        0,
        3,
      ),
    ).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  test("des milliers d'initiatives sortent toutes, une seule fois chacune, dans l'ordre de publication", async () => {
    // More than two of the export's batches, with many initiatives sharing a publication date.
    await generateSyntheticInitiatives(db, 1_100, { seed: 7 });
    const json = (await (await app.request("/api/v1/initiatives.json")).json()) as JsonExport;
    const ids = json.items.map((item) => item.id);
    expect(json.total).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(1_101);
    expect(new Set(ids).size).toBe(ids.length);
    const dates = json.items.map((item) => item.publishedAt);
    expect(dates).toEqual([...dates].sort());

    const csv = await (await app.request("/api/v1/initiatives.csv")).text();
    expect(csv.match(/\/initiatives\/synthetique-/g)?.length).toBe(1_100);
    for (const id of ids) expect(csv).toContain(`\n${id},`);
    // The next test downloads again and again: without the corpus, quickly.
    await db.delete(initiatives).where(like(initiatives.slug, "synthetique-%"));
  }, 120_000);

  test("les téléchargements d'une même adresse sont limités (429 avec Retry-After)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      const path = i % 2 === 0 ? "/api/v1/initiatives.csv" : "/api/v1/initiatives.json";
      const response = await app.request(path);
      statuses.push(response.status);
      await response.arrayBuffer();
      if (response.status === 429) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        break;
      }
    }
    // 30 an hour per address, this file's earlier downloads included.
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 200).length).toBeLessThan(30);
  });
});
