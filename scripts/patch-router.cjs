// Remix v2's server matches a request against the route tree three times, and each time
// @remix-run/router flattens and ranks every route and compiles a RegExp per candidate path:
// about a tenth of the CPU of a page. Both results depend only on the (unchanging) route tree and
// path, so this patch remembers them. Applied at install, idempotent; if a future version of
// the file no longer matches, it says so and leaves the file alone (the app works unpatched).
const { readFileSync, writeFileSync, existsSync } = require("node:fs");
const path = require("node:path");

const MARKER = "/* territoires-internet: memoized route matching */";
const file = path.join(
  __dirname,
  "..",
  "node_modules",
  "@remix-run",
  "router",
  "dist",
  "router.cjs.js",
);

const edits = [
  {
    from: "  let branches = flattenRoutes(routes);\n  rankRouteBranches(branches);\n  let matches = null;",
    to:
      "  let branches = rankedBranchesCache.get(routes);\n" +
      "  if (!branches) {\n" +
      "    branches = flattenRoutes(routes);\n" +
      "    rankRouteBranches(branches);\n" +
      "    rankedBranchesCache.set(routes, branches);\n" +
      "  }\n" +
      "  let matches = null;",
  },
  {
    from: "function compilePath(path, caseSensitive, end) {\n  if (caseSensitive === void 0) {",
    to:
      "const rankedBranchesCache = new WeakMap();\n" +
      "const compiledPathCache = new Map();\n" +
      "function compilePath(path, caseSensitive, end) {\n" +
      '  const key = path + "\\u0000" + caseSensitive + "\\u0000" + end;\n' +
      "  let compiled = compiledPathCache.get(key);\n" +
      "  if (!compiled) {\n" +
      "    compiled = compilePathUncached(path, caseSensitive, end);\n" +
      "    if (compiledPathCache.size < 10000) compiledPathCache.set(key, compiled);\n" +
      "  }\n" +
      "  return compiled;\n" +
      "}\n" +
      "function compilePathUncached(path, caseSensitive, end) {\n  if (caseSensitive === void 0) {",
  },
];

function patch() {
  if (!existsSync(file)) return "absent";
  let source = readFileSync(file, "utf8");
  if (source.includes(MARKER)) return "already";
  for (const { from, to } of edits) {
    if (source.split(from).length !== 2) return "mismatch";
    source = source.replace(from, to);
  }
  writeFileSync(file, `${MARKER}\n${source}`);
  return "patched";
}

module.exports = { MARKER, file, patch };
