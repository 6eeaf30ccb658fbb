import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

type Page = {
  items: Array<{ code: string; name: string; kind: string; postcodes: string[] }>;
  total: number;
  page: number;
};

async function search(query: string) {
  const response = await app.request(`/api/v1/collectivities?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

describe("annuaire des collectivités", () => {
  test("trouve Lavoncourt et Vannes par leur nom, en premier", async () => {
    expect((await search("q=Lavoncourt")).items[0]?.code).toBe("70299");
    expect((await search("q=vannes")).items[0]?.code).toBe("56260");
  });

  test("trouve les communes d'un code postal", async () => {
    const page = await search("q=70120&pageSize=100");
    expect(page.items.map((c) => c.name)).toContain("Lavoncourt");
    expect(page.items.every((c) => c.postcodes.includes("70120") || c.code === "70120")).toBe(true);
  });

  test("ignore les accents, la casse et l'abréviation St", async () => {
    const names = (await search("q=st%20etienne")).items.map((c) => c.name);
    expect(names).toContain("Saint-Étienne");
    expect((await search("q=ORLEANS")).items[0]?.name).toBe("Orléans");
  });

  test("filtre par région, département et type, et pagine", async () => {
    const page = await search("department=70&kind=commune&page=2&pageSize=10");
    expect(page.page).toBe(2);
    expect(page.items).toHaveLength(10);
    expect(page.total).toBeGreaterThan(500);
    const epcis = await search("region=53&kind=epci");
    expect(epcis.items.every((c) => c.kind === "epci")).toBe(true);
  });

  test("un filtre invalide répond 400 en nommant le paramètre", async () => {
    const response = await app.request("/api/v1/collectivities?kind=village&page=abc");
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; fields: Record<string, string[]> };
    };
    expect(body.error.code).toBe("bad_request");
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(["kind", "page"]));
  });

  test("la fiche d'une collectivité existe ; une inconnue répond 404", async () => {
    const page = await app.request("/collectivites/70299");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Lavoncourt");
    expect((await app.request("/collectivites/99999")).status).toBe(404);
    const api = await app.request("/api/v1/collectivities/99999");
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  test("la page annuaire fonctionne sans JavaScript (formulaire GET)", async () => {
    const html = await (await app.request("/annuaire?q=70120")).text();
    expect(html).toContain('method="get"');
    expect(html).toContain("Lavoncourt");
  });
});
