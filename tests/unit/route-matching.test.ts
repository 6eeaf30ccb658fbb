import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { Outlet, RemixServer } from "@remix-run/react";
import type {
  AgnosticRouteObject,
  createStaticHandler as CreateStaticHandler,
  matchRoutes as MatchRoutes,
} from "@remix-run/router";
import { createElement, type ComponentProps } from "react";
import { renderToString } from "react-dom/server";
import type { createStaticRouter as CreateStaticRouter } from "react-router-dom/server";
import { describe, expect, test, vi } from "vitest";

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

// The server render (@remix-run/react's RemixServer, then react-router-dom/server's
// createStaticRouter) rebuilt the whole route tree on every page; both are memoized per build by
// scripts/patches/. createStaticRouter is read from its module at each render, so a spy sees the
// route tree RemixServer hands it.
describe("routes du rendu serveur construites une fois par build (scripts/patches/)", () => {
  type StaticRouterModule = { createStaticRouter: typeof CreateStaticRouter };
  const routerServer = require("react-router-dom/server") as StaticRouterModule;
  const { createStaticHandler } = require("@remix-run/router") as {
    createStaticHandler: typeof CreateStaticHandler;
  };

  const entryRoute = (id: string, fields: { path?: string; index?: true; parentId?: string }) => ({
    id,
    ...fields,
    module: `/build/${id}.js`,
    hasAction: false,
    hasLoader: false,
    hasClientAction: false,
    hasClientLoader: false,
    hasErrorBoundary: false,
  });
  const routeModules = {
    root: { default: () => createElement("main", null, createElement(Outlet)) },
    index: { default: () => createElement("p", null, "accueil") },
    forums: { default: () => createElement("p", null, "forums") },
  };
  const buildManifest = () => ({
    entry: { imports: [], module: "/build/entry.client.js" },
    url: "/build/manifest.js",
    version: "1",
    routes: {
      root: entryRoute("root", { path: "" }),
      index: entryRoute("index", { index: true, parentId: "root" }),
      forums: entryRoute("forums", { path: "forums", parentId: "root" }),
    },
  });
  const handler = createStaticHandler([
    {
      id: "root",
      path: "",
      children: [
        { id: "index", index: true },
        { id: "forums", path: "forums" },
      ],
    },
  ]);

  async function render(manifest: ReturnType<typeof buildManifest>, url: string) {
    const staticHandlerContext = await handler.query(new Request(url));
    if (staticHandlerContext instanceof Response) throw new Error(`${url} : redirection`);
    const context: ComponentProps<typeof RemixServer>["context"] = {
      manifest,
      routeModules,
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_lazyRouteDiscovery: false,
        v3_singleFetch: false,
      },
      isSpaMode: false,
      staticHandlerContext,
    };
    return renderToString(createElement(RemixServer, { context, url }));
  }

  test("le module chargé par le serveur porte la modification", () => {
    const remixServer = require.resolve("@remix-run/react/dist/server.js");
    expect(readFileSync(remixServer, "utf8")).toContain(
      "/* territoires-internet: server routes built once per build */",
    );
    expect(readFileSync(require.resolve("react-router-dom/server"), "utf8")).toContain(
      "/* territoires-internet: data routes converted once per route tree */",
    );
  });

  test("chaque page d'un même build reprend le même arbre de routes, et rend la bonne route", async () => {
    const spy = vi.spyOn(routerServer, "createStaticRouter");
    try {
      const manifest = buildManifest();
      expect(await render(manifest, "http://localhost/forums")).toContain("<p>forums</p>");
      expect(await render(manifest, "http://localhost/")).toContain("<p>accueil</p>");
      expect(await render(manifest, "http://localhost/forums")).toContain("<p>forums</p>");
      const trees = spy.mock.calls.map(([routes]) => routes);
      expect(trees[1]).toBe(trees[0]);
      expect(trees[2]).toBe(trees[0]);
      const routers = spy.mock.results.map((result) => result.value as { routes: unknown });
      expect(routers[1]!.routes).toBe(routers[0]!.routes);

      // Another build (`npm run dev` reloads one) gets its own routes.
      expect(await render(buildManifest(), "http://localhost/")).toContain("<p>accueil</p>");
      expect(spy.mock.calls[3]![0]).not.toBe(trees[0]);
    } finally {
      spy.mockRestore();
    }
  });
});
