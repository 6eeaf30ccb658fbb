import type { ServerBuild } from "@remix-run/node";

import { parseConfig } from "../../app/config.server";
import { freePort } from "../../scripts/ports";

export type TestApp = {
  origin: string;
  port: number;
  /** fetch against the app, sending our Origin (as a browser would) unless told otherwise. */
  request: (
    path: string,
    init?: RequestInit & { cookie?: string; origin?: string | null },
  ) => Promise<Response>;
  close: () => Promise<void>;
};

/** Boots the real server (Express + Remix build + socket.io) on a free loopback port. */
export async function startTestApp(
  overrides: Record<string, string> = {},
  env: Record<string, string | undefined> = process.env,
  build?: ServerBuild,
): Promise<TestApp> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = parseConfig({
    ...env,
    PORT: String(port),
    APP_ORIGIN: origin,
    ...overrides,
  });
  const { createApp } = await import("../../server");
  const app = await createApp(config, { build });
  await app.listen(port, "127.0.0.1");
  return {
    origin,
    port,
    request: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (init.origin !== null && !headers.has("origin"))
        headers.set("origin", init.origin ?? origin);
      if (init.cookie) headers.set("cookie", init.cookie);
      return fetch(`${origin}${path}`, { ...init, headers, redirect: "manual" });
    },
    close: () => app.close(),
  };
}

/** "name=value" of a Set-Cookie header, to send back as a Cookie header. */
export function cookieFrom(response: Response): string {
  const header = response.headers.get("set-cookie") ?? "";
  return header.split(";")[0] ?? "";
}

export function form(values: Record<string, string>) {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(values).toString(),
  };
}
