import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, test } from "vitest";

import { freePort } from "../../scripts/ports";

const folders: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  // A failed assertion must not leave `npm start` (and its services) running.
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) await stop(child);
  }
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** Runs `npm start` as a user would, with its data in `dataDir`; resolves once it serves. */
function start(dataDir: string, port: number) {
  const env = {
    NODE_ENV: "production" as const,
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
  };
  const child = spawn("npm", ["start"], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.push(child);
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("est prêt")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`npm start s'est arrêté (code ${String(code)}) : ${output}`)),
    );
  });
  return { child, ready, output: () => output };
}

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    // As Ctrl-C in a terminal: SIGINT to the whole process group.
    process.kill(-child.pid!, "SIGINT");
  });
}

function processesUsing(dataDir: string) {
  return new Promise<string>((resolve) => {
    const ps = spawn("ps", ["-eo", "args"]);
    let out = "";
    ps.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    ps.once("exit", () =>
      resolve(
        out
          .split("\n")
          .filter((line) => line.includes(dataDir))
          .join("\n"),
      ),
    );
  });
}

describe("npm start sur une machine neuve", () => {
  test("sert l'accueil, s'arrête sans laisser de processus, et garde les comptes au redémarrage", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "territoires-start-"));
    await chmod(dataDir, 0o755);
    folders.push(dataDir);
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;

    const first = start(dataDir, port);
    await first.ready;
    expect((await fetch(`${origin}/`)).status).toBe(200);
    const directory = (await (
      await fetch(`${origin}/api/v1/collectivities?q=Lavoncourt`)
    ).json()) as { items: Array<{ code: string }> };
    expect(directory.items[0]?.code).toBe("70299");
    const signup = await fetch(`${origin}/inscription`, {
      method: "POST",
      redirect: "manual",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        name: "Persistante",
        email: "persiste@vannes.fr",
        password: "une phrase de passe solide",
        profileKind: "agent",
        jobTitle: "",
        collectivity: "56260",
      }).toString(),
    });
    expect(signup.status, first.output()).toBe(302);
    // npm itself ends on the signal; what matters is that our process stopped everything.
    await stop(first.child);
    expect(first.output()).toContain("Arrêté proprement");
    expect(await processesUsing(dataDir)).toBe("");

    const second = start(dataDir, port);
    await second.ready;
    const login = await fetch(`${origin}/connexion`, {
      method: "POST",
      redirect: "manual",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        email: "persiste@vannes.fr",
        password: "une phrase de passe solide",
      }).toString(),
    });
    expect(login.status).toBe(302);
    expect(second.output()).not.toContain("Annuaire importé");
    await stop(second.child);
    expect(second.output()).toContain("Arrêté proprement");
    expect(await processesUsing(dataDir)).toBe("");
  }, 180_000);
});
