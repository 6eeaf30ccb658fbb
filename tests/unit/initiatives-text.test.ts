import { describe, expect, test } from "vitest";

import { InitiativeFormSchema } from "../../app/utils/initiative-schemas";
import { markdownToText, renderMarkdown } from "../../app/utils/markdown.server";
import { normalizeFrench, synonymsMap } from "../../search/french";

describe("normalisation du français pour la recherche", () => {
  test("l'apostrophe typographique devient droite, pour que « l’école » trouve « école »", () => {
    expect(normalizeFrench("L’école d’Issy qu’on aime")).toBe("L'école d'Issy qu'on aime");
  });

  test("St- et Ste- s'écrivent en toutes lettres (majuscule gardée), sans toucher aux mots qui commencent par st", () => {
    expect(normalizeFrench("St-Malo, Ste-Anne et St Etienne")).toBe(
      "Saint-Malo, Sainte-Anne et Saint Etienne",
    );
    expect(normalizeFrench("stationnement et statistiques")).toBe("stationnement et statistiques");
  });

  test("chaque synonyme renvoie aux autres mots de son groupe, dans les deux sens", () => {
    const map = synonymsMap();
    expect(map.thd).toEqual(expect.arrayContaining(["tres haut debit", "fibre"]));
    expect(map.fibre).toContain("thd");
    expect(map["open data"]).toContain("donnees ouvertes");
    expect(map["donnees ouvertes"]).toContain("open data");
  });
});

describe("rendu markdown", () => {
  test("le HTML brut, les liens javascript: et data: et les gestionnaires d'événements sont neutralisés", () => {
    const html = renderMarkdown(
      '<script>alert(1)</script> [x](javascript:alert(1)) [y](data:text/html,1) <img src=x onerror="a()">',
    );
    expect(html).not.toMatch(/<script|<img|href="(javascript|data):/i);
  });

  test("les titres commencent au niveau 2 et les liens sortants portent rel=nofollow", () => {
    const html = renderMarkdown("# Titre\n\n[site](https://exemple.fr)");
    expect(html).toContain("<h2>Titre</h2>");
    expect(html).toContain('rel="nofollow ugc noopener"');
  });

  test("le texte brut d'un corps markdown garde les mots, sans balises", () => {
    expect(markdownToText("## Le **contexte**\n\n- un `code`")).toBe("Le contexte un code");
  });
});

describe("formulaire d'initiative", () => {
  test("les liens et contributeurs saisis ligne à ligne sont lus, et une ligne invalide est nommée", () => {
    const ok = InitiativeFormSchema.safeParse({
      title: "Un titre valide",
      summary: "Un résumé suffisamment long pour passer.",
      themes: ["services-en-ligne"],
      links: "Site | https://exemple.fr\nhttps://autre.fr",
      otherContributors: "Jeanne Martin, médiatrice numérique",
    });
    expect(ok.success && ok.data.links).toEqual([
      { label: "Site", url: "https://exemple.fr" },
      { label: "", url: "https://autre.fr" },
    ]);
    expect(ok.success && ok.data.otherContributors).toEqual([
      { name: "Jeanne Martin", role: "médiatrice numérique" },
    ]);
    const bad = InitiativeFormSchema.safeParse({
      title: "Un titre valide",
      summary: "Un résumé suffisamment long pour passer.",
      themes: ["services-en-ligne"],
      links: "https://exemple.fr\njavascript:alert(1)",
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain("Ligne 2");
  });
});
