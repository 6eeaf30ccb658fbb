import { describe, expect, test } from "vitest";

import { slugify } from "../../app/utils/text";
import { normalizeForSearch } from "../../db/search-name";

describe("normalisation des noms pour la recherche", () => {
  test.each([
    ["Saint-Étienne", "saint etienne"],
    ["St Etienne", "saint etienne"],
    ["Ste-Foy-lès-Lyon", "sainte foy les lyon"],
    ["L'Abergement-Clémenciat", "l abergement clemenciat"],
    ["  ORLÉANS  ", "orleans"],
    ["Stains", "stains"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeForSearch(input)).toBe(expected);
  });

  test("un slug ne garde que des lettres, chiffres et tirets", () => {
    expect(slugify("Conseil municipal en direct : l'expérience de Vannes !")).toBe(
      "conseil-municipal-en-direct-l-experience-de-vannes",
    );
  });
});
