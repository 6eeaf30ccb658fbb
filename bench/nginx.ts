/**
 * nginx from the system (/usr/sbin/nginx) in front of the app instances of a benchmark, running
 * the committed production configuration (scripts/deploy/nginx.conf) with loopback ports: the
 * upstream servers, the listen address and TLS are the only changes, and each one must match
 * exactly, so that the file and the benchmark cannot drift apart unnoticed.
 */
import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";

const NGINX = process.env.NGINX_BIN ?? "/usr/sbin/nginx";

function replaceOnce(text: string, pattern: RegExp, replacement: string) {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`));
  if (matches?.length !== 1) {
    throw new Error(
      `scripts/deploy/nginx.conf a changé : ${pattern} trouvé ${matches?.length ?? 0} fois`,
    );
  }
  return text.replace(pattern, replacement);
}

/** The committed site configuration, pointed at `upstreams` and listening on loopback `port`. */
export async function benchSiteConfig(upstreams: string[], port: number) {
  let site = await readFile(path.resolve("scripts/deploy/nginx.conf"), "utf8");
  site = replaceOnce(
    site,
    /(upstream territoires \{[\s\S]*?)((?:\n\s*server \S+ [^;]*;)+)/,
    `$1${upstreams.map((address) => `\n    server ${address} max_fails=3 fail_timeout=10s;`).join("")}`,
  );
  site = replaceOnce(site, /\nserver \{\n\s*listen 80;[\s\S]*?\n\}\n/, "\n");
  site = replaceOnce(site, /listen 443 ssl http2;/, `listen 127.0.0.1:${port};`);
  site = replaceOnce(site, /\n\s*listen \[::\]:443 ssl http2;/, "");
  site = replaceOnce(site, /\n\s*ssl_certificate [^\n]*/, "");
  site = replaceOnce(site, /\n\s*ssl_certificate_key [^\n]*/, "");
  // Which instance answered: the stale-read checker reads the other one directly.
  site = replaceOnce(
    site,
    /(listen 127\.0\.0\.1:\d+;)/,
    "$1\n    add_header X-Upstream $upstream_addr always;",
  );
  return site;
}

export type Proxy = { origin: string; pid: number; stop: () => Promise<void> };

/**
 * Starts nginx as a child process (one worker, files in `dir`) on loopback `port` in front of
 * `upstreams`.
 */
export async function startProxy(upstreams: string[], dir: string, port: number): Promise<Proxy> {
  await mkdir(dir, { recursive: true });
  // As root, nginx's workers run as nobody: they must be able to write their buffers.
  await chmod(dir, 0o777);
  const site = path.join(dir, "site.conf");
  await writeFile(site, await benchSiteConfig(upstreams, port));
  const main = path.join(dir, "nginx.conf");
  await writeFile(
    main,
    [
      "daemon off;",
      "worker_processes 1;",
      `pid ${path.join(dir, "nginx.pid")};`,
      `error_log ${path.join(dir, "error.log")} warn;`,
      "events { worker_connections 8192; }",
      "http {",
      "  access_log off;",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(
        (kind) => `  ${kind}_temp_path ${path.join(dir, kind)};`,
      ),
      `  include ${site};`,
      "}",
      "",
    ].join("\n"),
  );
  const child = spawn(NGINX, ["-c", main, "-e", path.join(dir, "error.log")], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));
  for (let waited = 0; ; waited += 50) {
    if (!alive) throw new Error(`nginx s'est arrêté : voir ${path.join(dir, "error.log")}`);
    if (await accepts(port)) break;
    if (waited > 10_000) throw new Error("nginx ne répond pas après 10 s");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      if (alive) child.kill("SIGTERM");
      await exited;
    },
  };
}

function accepts(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
