import { describe, expect, test } from "vitest";

import { parseConfig } from "../../app/config.server";

const base = {
  DATABASE_URL: "postgres://x@127.0.0.1/db",
  MEILI_URL: "http://127.0.0.1:7700",
  MEILI_API_KEY: "clé",
};

describe("configuration", () => {
  test("valeurs par défaut et origines locales", () => {
    const config = parseConfig(base);
    expect(config.port).toBe(3000);
    expect(config.origins).toEqual(["http://localhost:3000", "http://127.0.0.1:3000"]);
    expect(config.cookieSecure).toBe(false);
  });

  test("une origine publique https rend les cookies sécurisés", () => {
    const config = parseConfig({ ...base, APP_ORIGIN: "https://territoires.example/" });
    expect(config.origins).toEqual(["https://territoires.example"]);
    expect(config.cookieSecure).toBe(true);
  });

  test("une variable invalide donne un message clair", () => {
    expect(() => parseConfig({ ...base, PORT: "quatre" })).toThrow(/PORT/);
    expect(() => parseConfig({ MEILI_URL: "x" })).toThrow(/DATABASE_URL/);
  });

  test("sans NODE_ENV, la configuration est celle de la production", () => {
    expect(parseConfig(base).env).toBe("production");
  });

  test.each([
    [undefined, false],
    ["false", false],
    ["0", false],
    // `true` means the one reverse proxy in front, never every hop.
    ["true", 1],
    ["2", 2],
    ["10.0.0.1", ["10.0.0.1"]],
    ["loopback, 10.0.0.0/8, fd00::/8", ["loopback", "10.0.0.0/8", "fd00::/8"]],
  ])("TRUST_PROXY=%j donne %j", (value, expected) => {
    expect(parseConfig({ ...base, TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  test.each(["oui", "10.0.0.1/40", "10.0.0", "*", "-1"])(
    "TRUST_PROXY=%j est refusé avec un message clair",
    (value) => {
      expect(() => parseConfig({ ...base, TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    },
  );
});
