import { eq, inArray } from "drizzle-orm";

import { insertInitiative } from "../../app/models/initiative-writes.server";
import { enqueueIndexing } from "../../app/models/search-outbox.server";
import type { Database } from "../../db/client";
import { collectivities, initiativeAdoptions, memberships, users } from "../../db/schema";
import { demoInitiatives, type DemoInitiative } from "./initiatives-data";

const themeByLetter: Record<string, string> = {
  D: "democratie-citoyennete",
  S: "services-en-ligne",
  I: "inclusion-mediation",
  E: "education-jeunesse",
  C: "culture-patrimoine",
  H: "sante-solidarites",
  P: "economie-emploi",
  V: "environnement-mobilite",
  T: "territoire-intelligent-donnees",
  Y: "cybersecurite",
  F: "infrastructures-thd",
  A: "administration-agents",
};

// Advice that differs by main theme, so that bodies read like the practices they describe.
const adviceByTheme: Record<string, string[]> = {
  D: [
    "Associez les élus de l'opposition dès le départ.",
    "Gardez toujours une voie hors ligne pour participer.",
  ],
  S: [
    "Partez des démarches les plus demandées à l'accueil.",
    "Testez chaque formulaire avec des habitants avant sa mise en ligne.",
  ],
  I: [
    "Allez là où sont les habitants plutôt que de les attendre.",
    "Formez aussi les agents d'accueil à repérer les difficultés.",
  ],
  E: [
    "Impliquez les enseignants dans le choix du matériel.",
    "Prévoyez la maintenance dès le budget d'achat.",
  ],
  C: [
    "Numérisez en haute définition une fois pour toutes.",
    "Publiez sous licence ouverte pour que les écoles réutilisent.",
  ],
  H: [
    "Travaillez avec les professionnels de santé du territoire.",
    "Protégez les données de santé dès la conception.",
  ],
  P: [
    "Co-construisez l'outil avec les entreprises et les commerçants.",
    "Mesurez l'usage réel après six mois.",
  ],
  V: [
    "Publiez les données pour que chacun suive les progrès.",
    "Commencez par un quartier pilote.",
  ],
  T: [
    "Nommez un responsable des données dans chaque service.",
    "Documentez chaque jeu de données publié.",
  ],
  Y: [
    "Testez la restauration des sauvegardes, pas seulement leur existence.",
    "Rédigez la procédure papier avant d'en avoir besoin.",
  ],
  F: [
    "Cartographiez précisément les zones mal desservies.",
    "Informez les habitants à chaque étape du déploiement.",
  ],
  A: [
    "Formez les agents avant de déployer l'outil.",
    "Mutualisez avec les communes voisines pour réduire les coûts.",
  ],
};

function bodyOf(entry: DemoInitiative, collectivityName: string, population: number | null) {
  const mainTheme = entry.th[0] ?? "A";
  const advice = adviceByTheme[mainTheme] ?? adviceByTheme.A!;
  const size = population
    ? `une collectivité de ${new Intl.NumberFormat("fr-FR").format(population)} habitants`
    : "une collectivité";
  return [
    "## Le contexte",
    `${collectivityName}, ${size}, a lancé ce projet en ${entry.y} pour répondre à un besoin exprimé par les habitants et les agents.`,
    "## Ce que nous avons fait",
    entry.s,
    ...(entry.d ? [entry.d] : []),
    "## Les résultats",
    `Le dispositif fonctionne depuis ${entry.y} et continue d'évoluer avec les retours des usagers. Mots-clés : ${entry.tg.join(", ")}.`,
    "## Nos conseils pour essaimer",
    advice.map((line) => `- ${line}`).join("\n"),
  ].join("\n\n");
}

/** Demo initiatives over real collectivities, with credits, reuse links and adoptions. */
export async function demoInitiativesSeed(db: Database) {
  const codes = [...new Set(demoInitiatives.flatMap((d) => [d.c, ...(d.adopted ?? [])]))];
  const known = new Map(
    (
      await db
        .select({
          code: collectivities.code,
          name: collectivities.name,
          population: collectivities.population,
        })
        .from(collectivities)
        .where(inArray(collectivities.code, codes))
    ).map((row) => [row.code, row]),
  );
  // Demo accounts credited under their own name, so their profile shows what they did.
  const members = await db
    .select({ userId: users.id, name: users.name, code: memberships.collectivityCode })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(memberships.status, "approved"));

  const ids = new Map<string, string>();
  let created = 0;
  const now = Date.now();
  // Oldest first, so that "inspired by" links point to initiatives that already exist.
  const ordered = [...demoInitiatives].sort(
    (a, b) => Number(Boolean(a.from)) - Number(Boolean(b.from)),
  );
  for (const [index, entry] of ordered.entries()) {
    const collectivity = known.get(entry.c);
    if (!collectivity) continue;
    const contributors = entry.p.map((line) => {
      const [name = line, ...role] = line.split(",");
      const member = members.find((m) => m.name === name.trim() && m.code === entry.c);
      return { userId: member?.userId, name: name.trim(), role: role.join(",").trim() };
    });
    const result = await db.transaction((tx) =>
      insertInitiative(tx, {
        title: entry.t,
        summary: entry.s,
        body: bodyOf(entry, collectivity.name, collectivity.population),
        themes: [...entry.th].map((letter) => themeByLetter[letter]!).filter(Boolean),
        tags: entry.tg,
        startYear: entry.y,
        budgetBracket: entry.b ?? null,
        links: [],
        status: "published",
        inspiredBy: entry.from ? (ids.get(entry.from) ?? null) : null,
        contributors,
        collectivityCode: entry.c,
        createdBy: null,
        // Spread over the last two years, a few days apart, deterministically.
        now: new Date(now - ((index * 37) % 700) * 86_400_000),
      }),
    );
    if (!result.ok) continue;
    ids.set(entry.key, result.value.id);
    created += 1;
  }
  let adoptions = 0;
  await db.transaction(async (tx) => {
    for (const entry of demoInitiatives) {
      const id = ids.get(entry.key);
      if (!id || !entry.adopted) continue;
      const rows = entry.adopted.filter((code) => known.has(code) && code !== entry.c);
      if (rows.length === 0) continue;
      await tx
        .insert(initiativeAdoptions)
        .values(rows.map((collectivityCode) => ({ initiativeId: id, collectivityCode })))
        .onConflictDoNothing();
      await enqueueIndexing(tx, "initiatives", id);
      adoptions += rows.length;
    }
  });
  return `${created} initiatives, ${adoptions} reprises`;
}
