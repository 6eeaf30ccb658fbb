import { beforeAll, describe, expect, test } from "vitest";

import { parseConfig, setConfig } from "../../app/config.server";
import { safeRedirect } from "../../app/utils/auth.server";
import { formatDateTime } from "../../app/utils/dates";
import { emailSchema, passwordSchema } from "../../app/utils/validation";

describe("règles de mot de passe", () => {
  test.each([
    ["court", false],
    ["azertyuiop123", false],
    ["motdepasse2026!", false],
    ["aaaaaaaaaaaaaaaa", false],
    ["a1b2c3d4".repeat(8), true],
    ["une phrase de passe solide", true],
    ["x".repeat(257), false],
  ])("%s accepté : %s", (password, accepted) => {
    expect(passwordSchema.safeParse(password).success).toBe(accepted);
  });

  test("les messages sont en français", () => {
    const result = passwordSchema.safeParse("court");
    expect(result.error?.issues[0]?.message).toBe(
      "Le mot de passe doit compter au moins 12 caractères.",
    );
  });
});

describe("adresses électroniques", () => {
  test("sont mises en minuscules et vérifiées", () => {
    expect(emailSchema.parse("  Awa.Diallo@Vannes.FR ")).toBe("awa.diallo@vannes.fr");
    expect(emailSchema.safeParse("awa@").success).toBe(false);
  });
});

describe("redirections sûres", () => {
  // A target is safe when, resolved against APP_ORIGIN, it stays on that origin.
  beforeAll(() =>
    setConfig(
      parseConfig({
        DATABASE_URL: "postgres://localhost/territoires",
        MEILI_URL: "http://127.0.0.1:7700",
        MEILI_API_KEY: "cle",
        APP_ORIGIN: "https://territoires.example",
      }),
    ),
  );
  test.each([
    ["/compte", "/compte"],
    ["//evil.example", "/"],
    ["https://evil.example", "/"],
    ["/\\evil.example", "/"],
    [null, "/"],
  ])("%s → %s", (target, expected) => {
    expect(safeRedirect(target)).toBe(expected);
  });
});

describe("dates en français, heure de Paris", () => {
  test("affiche l'heure légale de part et d'autre du changement d'heure", () => {
    expect(formatDateTime("2026-10-25T00:30:00Z")).toBe("dimanche 25 octobre 2026, 2 h 30");
    expect(formatDateTime("2026-10-25T01:30:00Z")).toBe("dimanche 25 octobre 2026, 2 h 30");
    expect(formatDateTime("2027-03-12T17:00:00Z")).toBe("vendredi 12 mars 2027, 18 h 00");
  });
});
