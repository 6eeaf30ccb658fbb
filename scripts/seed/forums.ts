import { inArray } from "drizzle-orm";

import { createPost, createTopic } from "../../app/models/forum-posts.server";
import type { AuthUser } from "../../app/utils/auth.server";
import type { Database } from "../../db/client";
import { forumCategories, users, type Role } from "../../db/schema";

type CategorySeed = {
  slug: string;
  title: string;
  description: string;
  requiredRole?: Role;
};

/** The network's forum categories: reference data, created on every start if missing. */
export const defaultCategories: CategorySeed[] = [
  {
    slug: "democratie-participative",
    title: "Démocratie participative",
    description: "Budgets participatifs, consultations en ligne, conseils citoyens.",
  },
  {
    slug: "inclusion-numerique",
    title: "Inclusion numérique",
    description: "Conseillers numériques, médiation, accès aux droits, France services.",
  },
  {
    slug: "services-en-ligne",
    title: "Services en ligne",
    description: "Démarches, portails citoyens, prise de rendez-vous, accessibilité.",
  },
  {
    slug: "cybersecurite",
    title: "Cybersécurité",
    description: "Sauvegardes, rançongiciels, sensibilisation des agents, retours d'incident.",
  },
  {
    slug: "donnees-territoire-intelligent",
    title: "Données et territoire intelligent",
    description: "Open data, capteurs, jumeaux numériques, sobriété.",
  },
  {
    slug: "vie-du-reseau",
    title: "Vie du réseau",
    description: "Annonces, rencontres, entraide entre collectivités labellisées.",
  },
  {
    slug: "initiatives",
    title: "Autour des initiatives",
    description: "Les discussions ouvertes depuis les fiches d'initiatives.",
  },
  {
    slug: "jury-du-label",
    title: "Jury du label",
    description: "Espace réservé aux membres du jury pour préparer les délibérations.",
    requiredRole: "jury",
  },
];

export async function ensureForumCategories(db: Database) {
  await db
    .insert(forumCategories)
    .values(
      defaultCategories.map((category, position) => ({
        ...category,
        requiredRole: category.requiredRole ?? null,
        position,
      })),
    )
    .onConflictDoNothing({ target: forumCategories.slug });
}

/** Demo discussions between the demo accounts. */
export async function demoForums(db: Database) {
  await ensureForumCategories(db);
  const people = await db
    .select({ id: users.id, email: users.email, name: users.name, roles: users.roles })
    .from(users)
    .where(
      inArray(users.email, [
        "referente.vannes@demo.territoires.fr",
        "dsi.vannes@demo.territoires.fr",
        "maire.lavoncourt@demo.territoires.fr",
        "numerique.beauvais@demo.territoires.fr",
        "moderation@demo.territoires.fr",
      ]),
    );
  const as = (email: string): AuthUser | null => {
    const person = people.find((p) => p.email === email);
    return person ? { ...person, profileKind: "agent", jobTitle: "" } : null;
  };
  const maelle = as("referente.vannes@demo.territoires.fr");
  const yann = as("dsi.vannes@demo.territoires.fr");
  const claire = as("maire.lavoncourt@demo.territoires.fr");
  const sofiane = as("numerique.beauvais@demo.territoires.fr");
  const helene = as("moderation@demo.territoires.fr");
  if (!maelle || !yann || !claire || !sofiane || !helene) return "comptes de démonstration absents";
  const threads: Array<{ category: string; title: string; posts: Array<[AuthUser, string]> }> = [
    {
      category: "democratie-participative",
      title: "Budget participatif : comment faire voter les habitants sans compte en ligne ?",
      posts: [
        [
          maelle,
          "Bonjour à toutes et à tous,\n\nÀ Vannes nous lançons notre deuxième budget participatif. L'an dernier, **30 % des votes** sont venus des urnes papier installées dans les mairies de quartier.\n\nComment faites-vous pour dédoublonner vote papier et vote en ligne ?",
        ],
        [
          claire,
          "À Lavoncourt (300 habitants) nous faisons tout au papier, avec une permanence à la mairie le samedi matin. Le dédoublonnage se fait sur la liste électorale… mais vous ne pouvez pas l'utiliser pour les mineurs.",
        ],
        [
          sofiane,
          "@maelle-le-goff à Beauvais nous demandons un simple numéro de téléphone, vérifié par SMS, et les conseillers numériques aident ceux qui n'en ont pas. Je peux partager notre règlement.",
        ],
      ],
    },
    {
      category: "cybersecurite",
      title: "Retour d'expérience : rançongiciel un vendredi soir",
      posts: [
        [
          yann,
          "Nous avons subi une attaque l'hiver dernier. Ce qui nous a sauvés :\n\n1. des sauvegardes **hors ligne** testées chaque mois ;\n2. une fiche réflexe imprimée (les PC étaient chiffrés…) ;\n3. le contact du CSIRT régional.\n\nQuestions bienvenues.",
        ],
        [
          helene,
          "Merci Yann pour ce partage. Pour mémoire, le dispositif [cybermalveillance.gouv.fr](https://www.cybermalveillance.gouv.fr) propose des kits de sensibilisation pour les agents.",
        ],
      ],
    },
    {
      category: "inclusion-numerique",
      title: "Conseillers numériques : quelles permanences dans les petites communes ?",
      posts: [
        [
          claire,
          "Nous partageons une conseillère avec la communauté de communes. Elle vient une demi-journée par mois : est-ce suffisant selon vous ?",
        ],
        [
          sofiane,
          "Une demi-journée, c'est peu mais régulier. Ce qui marche chez nous : annoncer la permanence dans le bulletin municipal et sur le panneau lumineux.",
        ],
      ],
    },
    {
      category: "vie-du-reseau",
      title: "Bienvenue sur les forums du réseau !",
      posts: [
        [
          helene,
          "Ces forums sont ouverts à tous les membres validés des collectivités du réseau. Quelques règles : bienveillance, pas de données personnelles d'usagers, et signalez tout message problématique.",
        ],
      ],
    },
  ];
  let topics = 0;
  let posts = 0;
  for (const thread of threads) {
    const [first, ...rest] = thread.posts;
    if (!first) continue;
    const topic = await createTopic(first[0], {
      categorySlug: thread.category,
      title: thread.title,
      body: first[1],
    });
    if (!topic.ok) continue;
    topics += 1;
    posts += 1;
    for (const [author, body] of rest) {
      const post = await createPost(author, { topicId: topic.value.topicId, body });
      if (post.ok) posts += 1;
    }
  }
  return `${topics} sujets et ${posts} messages`;
}
