import { describe, expect, test } from "vitest";

import { demoSeeding } from "../../scripts/seed/index";

describe("contenus de démonstration (SEED_DEMO)", () => {
  const embedded = { embeddedDatabase: true };
  const external = { embeddedDatabase: false };

  test("par défaut, seulement avec la base embarquée", () => {
    expect(demoSeeding({}, embedded).demo).toBe(true);
    expect(demoSeeding({}, external).demo).toBe(false);
    expect(demoSeeding({ SEED_DEMO: "false" }, embedded).demo).toBe(false);
    expect(demoSeeding({ SEED_DEMO: "true" }, external).demo).toBe(true);
  });

  test.each([
    ["http://localhost:3000", true],
    ["http://127.0.0.1:3000", true],
    ["https://territoires.example", false],
  ])("en production sur %s, comptes de démonstration : %s", (origin, allowed) => {
    const decision = demoSeeding({ NODE_ENV: "production", APP_ORIGIN: origin }, embedded);
    expect(decision.demo).toBe(allowed);
    if (!allowed) expect(decision.note).toContain("SEED_DEMO=force");
  });

  test("SEED_DEMO=true en production sur une adresse publique est refusé clairement", () => {
    const env = { NODE_ENV: "production", APP_ORIGIN: "https://territoires.example" };
    expect(() => demoSeeding({ ...env, SEED_DEMO: "true" }, external)).toThrow(
      /adresse publique en production.*SEED_DEMO=force/,
    );
    expect(demoSeeding({ ...env, SEED_DEMO: "force" }, external).demo).toBe(true);
  });
});
