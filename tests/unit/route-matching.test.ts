import { createRequire } from "node:module";

import type { AgnosticRouteObject, matchRoutes as MatchRoutes } from "@remix-run/router";
import { describe, expect, test } from "vitest";

// The server loads the CommonJS build, which scripts/patches/ memoizes at install (patch-package);
// the ESM build is left as published and serves as the reference.
const require = createRequire(import.meta.url);
const patchedFile = require.resolve("@remix-run/router");
const MARKER = "/* territoires-internet: memoized route matching */";
const patched = require(patchedFile) as { matchRoutes: typeof MatchRoutes };
// The ESM build's own declaration file omits the re-exported utilities: narrow through unknown.
const reference = (await import("@remix-run/router/dist/router.js")) as unknown as {
  matchRoutes: typeof MatchRoutes;
};

const routes: AgnosticRouteObject[] = [
  {
    id: "root",
    path: "",
    children: [
      { id: "index", index: true },
      { id: "forums", path: "forums" },
      { id: "category", path: "forums/:category" },
      { id: "new-topic", path: "forums/:category/nouveau" },
      { id: "topic", path: "forums/:category/:topic" },
      { id: "initiatives", path: "initiatives" },
      { id: "initiative", path: "initiatives/:slug" },
      { id: "edit", path: "initiatives/:slug/modifier" },
      { id: "api-item", path: "api/v1/initiatives/:id" },
      { id: "optional", path: "evenements/:slug?" },
      { id: "splat", path: "*" },
    ],
  },
];

const paths = [
  "/",
  "/forums",
  "/forums/vie-du-reseau",
  "/forums/vie-du-reseau/nouveau",
  "/forums/vie-du-reseau/12-un-sujet",
  "/FORUMS/Vie-Du-Reseau/12-un-sujet/",
  "/initiatives/ludotheque",
  "/initiatives/ludotheque/modifier",
  "/api/v1/initiatives/abc",
  "/evenements",
  "/evenements/assises-2027",
  "/n/existe/pas",
];

const summary = (match: typeof MatchRoutes) => (path: string) =>
  match(routes, path)?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname }));

describe("routage mémorisé (scripts/patches/@remix-run+router)", () => {
  test("le module chargé par le serveur porte la modification", () => {
    expect(require("node:fs").readFileSync(patchedFile, "utf8")).toContain(MARKER);
  });

  test("donne les mêmes correspondances que la version publiée, appel après appel", () => {
    // Twice over, so the second round is answered from the memo.
    for (const path of [...paths, ...paths]) {
      expect(summary(patched.matchRoutes)(path)).toEqual(summary(reference.matchRoutes)(path));
    }
    expect(summary(patched.matchRoutes)("/forums/vie-du-reseau/12-un-sujet")).toEqual([
      { id: "root", params: { category: "vie-du-reseau", topic: "12-un-sujet" }, pathname: "/" },
      {
        id: "topic",
        params: { category: "vie-du-reseau", topic: "12-un-sujet" },
        pathname: "/forums/vie-du-reseau/12-un-sujet",
      },
    ]);
  });

  test("un autre arbre de routes n'hérite pas des correspondances du premier", () => {
    const other: AgnosticRouteObject[] = [{ id: "seul", path: "forums/:x" }];
    expect(patched.matchRoutes(routes, "/forums")?.at(-1)?.route.id).toBe("forums");
    expect(patched.matchRoutes(other, "/forums/a")?.at(-1)?.route.id).toBe("seul");
    expect(patched.matchRoutes(other, "/initiatives")).toBeNull();
  });
});
