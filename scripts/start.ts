/**
 * `npm start`: build if needed, start (or reuse) PostgreSQL and Meilisearch, migrate, seed on the
 * first run, then serve. Ctrl-C stops everything; the data in .data/ is kept for the next start.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";

import {
  adoptServices,
  forgetRunningServices,
  recordRunningServices,
  startServices,
  type Services,
} from "./services";

const root = process.cwd();
const dev = process.argv.includes("--dev");
const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");

async function newestMtime(folder: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

async function buildIfNeeded() {
  const output = path.join(root, "build/index.js");
  const sources = Math.max(
    ...(await Promise.all(
      ["app", "db", "search", "realtime"].map((f) => newestMtime(path.join(root, f))),
    )),
  );
  // `npm run dev` leaves a development build behind: production must not serve it.
  const production =
    existsSync(output) && /\bmode = "production"/.test(readFileSync(output, "utf8"));
  if (dev ? existsSync(output) : production && statSync(output).mtimeMs >= sources) return;
  console.log("Construction de l'application…");
  const result = spawnSync("npx", ["remix", "build"], { stdio: "inherit", cwd: root });
  if (result.status !== 0) throw new Error("la construction (remix build) a échoué");
}

async function main() {
  await buildIfNeeded();
  // Filled in as they start, so that a signal during start-up stops what is already running.
  const running: { services?: Services; app?: { close: () => Promise<void> } } = {};
  let shuttingDown = false;

  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log("\nArrêt en cours…");
    await running.app?.close().catch(() => {});
    await running.services?.stop();
    await forgetRunningServices(dataDir);
    console.log("Arrêté proprement. Les données restent dans .data/.");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  const embeddedDatabase = !process.env.DATABASE_URL;
  const services = await startServices({ dataDir });
  running.services = services;
  services.onCrash((message) => {
    console.error(`${message} Arrêt de l'application.`);
    void shutdown(1);
  });
  adoptServices(services.env);
  await recordRunningServices(dataDir, services);
  process.env.NODE_ENV ??= dev ? "development" : "production";
  if (dev) {
    // Rebuilds on every change; the server re-imports the new build on the next request.
    // Started without npx, so that killing it on exit reaches remix itself.
    const watcher = spawn(path.join(root, "node_modules/.bin/remix"), ["watch"], {
      stdio: "inherit",
      cwd: root,
    });
    process.on("exit", () => watcher.kill());
  }

  // Loaded after the environment is complete, since the configuration is read once.
  const { runMigrations } = await import("../db/migrate");
  const { db } = await import("../db/client");
  const { demoSeeding, seedIfNeeded } = await import("./seed/index");
  const { createApp } = await import("../server");
  const { startBackgroundJobs } = await import("./background");

  await runMigrations(services.env.DATABASE_URL);
  const seeding = demoSeeding(process.env, { embeddedDatabase });
  if (seeding.note) console.log(seeding.note);
  await seedIfNeeded(db, { demo: seeding.demo, log: (line) => console.log(line) });
  const background = await startBackgroundJobs();
  const created = await createApp(undefined, { background, reloadBuild: dev });
  running.app = created;
  const port = await created.listen();
  console.log(`Territoires Internet est prêt : http://localhost:${port} (Ctrl-C pour arrêter)`);
}

main().catch((error: unknown) => {
  console.error(`Démarrage impossible : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
