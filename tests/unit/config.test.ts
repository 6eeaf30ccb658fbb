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
});
