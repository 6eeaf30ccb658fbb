/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  serverBuildPath: "build/index.js",
  assetsBuildDirectory: "public/build",
  publicPath: "/build/",
  watchPaths: ["db/**/*.ts", "search/**/*.ts", "realtime/**/*.ts"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Lazy route discovery matches every route against each document request to build a partial
    // manifest: with ~50 routes the full manifest is cheaper than that work.
    v3_lazyRouteDiscovery: false,
  },
};
