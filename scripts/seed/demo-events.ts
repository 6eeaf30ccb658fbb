import { TZDate } from "@date-fns/tz";
import { addDays, format } from "date-fns";
import { eq, sql } from "drizzle-orm";

import { createEvent, updateEvent } from "../../app/models/event-editing.server";
import { register } from "../../app/models/event-registrations.server";
import type { EventInput } from "../../app/models/events.server";
import type { AuthUser } from "../../app/utils/auth.server";
import { zoneForDepartment } from "../../app/utils/dates";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";

type DemoEvent = Omit<
  EventInput,
  "startsAt" | "endsAt" | "registrationDeadline" | "programme" | "initiativeIds"
> & {
  organiser: string;
  /** Days from today, start and end local times, optional extra days. */
  inDays: number;
  from: string;
  to: string;
  days?: number;
  department: string;
  programme?: Array<[string, string, string]>;
  cancelled?: boolean;
  registrants?: string[];
};

const ADMIN = "admin@demo.territoires.fr";
const BEAUVAIS = "numerique.beauvais@demo.territoires.fr";
const VANNES = "referente.vannes@demo.territoires.fr";

const demo: DemoEvent[] = [
  {
    organiser: BEAUVAIS,
    title: "Étape des assises territoriales de l'identité numérique — Beauvais",
    description:
      "Les assises territoriales de l'identité numérique font étape à Beauvais. Élus, DSI et médiateurs numériques débattent de **FranceConnect**, de l'identité numérique régalienne et de l'accompagnement des habitants éloignés du numérique.\n\n- Retours d'expérience des collectivités de l'Oise\n- Atelier : guichet unique et identité numérique\n- Table ronde avec les partenaires de l'État",
    themes: ["services-en-ligne", "inclusion-mediation", "cybersecurite"],
    format: "hybride",
    inDays: 21,
    from: "09:00",
    to: "17:30",
    department: "60",
    venue: "Hôtel de ville, salle du conseil, 1 rue Desgroux",
    communeCode: "60057",
    onlineUrl: "https://visio.beauvais.fr/assises-identite-numerique",
    capacity: 120,
    status: "published",
    programme: [
      ["09:00", "Accueil café", ""],
      ["09:30", "Ouverture", "Maire de Beauvais"],
      ["10:00", "Table ronde : l'identité numérique au guichet", "DSIT de Beauvais, ANCT"],
      ["14:00", "Ateliers pratiques", "Conseillers numériques de l'Oise"],
    ],
    registrants: [VANNES, "dsi.vannes@demo.territoires.fr"],
  },
  {
    organiser: VANNES,
    title: "Atelier : rendre les démarches en ligne accessibles (RGAA)",
    description:
      "Un atelier pratique pour auditer les démarches en ligne d'une commune avec le référentiel RGAA, et prioriser les corrections.",
    themes: ["services-en-ligne", "administration-agents"],
    format: "presentiel",
    inDays: 9,
    from: "14:00",
    to: "17:00",
    department: "56",
    venue: "Maison des associations, 31 rue Guillaume Le Bartz",
    communeCode: "56260",
    onlineUrl: null,
    capacity: 25,
    status: "published",
    registrants: ["dsi.vannes@demo.territoires.fr"],
  },
  {
    organiser: ADMIN,
    collectivityCode: "97101",
    title: "Webinaire : la médiation numérique aux Antilles",
    description:
      "Les conseillers numériques de Guadeloupe et de Martinique partagent leurs méthodes d'accompagnement des habitants.",
    themes: ["inclusion-mediation", "sante-solidarites"],
    format: "en-ligne",
    inDays: 14,
    from: "18:00",
    to: "19:30",
    department: "971",
    venue: "",
    communeCode: null,
    onlineUrl: "https://webinaire.territoires-internet.fr/mediation-antilles",
    capacity: null,
    status: "published",
  },
  {
    organiser: ADMIN,
    collectivityCode: "97411",
    title: "Rencontre régionale : territoire intelligent et données à La Réunion",
    description:
      "Capteurs, données ouvertes et gestion de l'eau : les collectivités réunionnaises présentent leurs projets de territoire intelligent.",
    themes: ["territoire-intelligent-donnees", "environnement-mobilite"],
    format: "presentiel",
    inDays: 35,
    from: "08:30",
    to: "12:30",
    department: "974",
    venue: "Hôtel de ville, rue de Paris",
    communeCode: "97411",
    onlineUrl: null,
    capacity: 60,
    status: "published",
  },
  {
    organiser: ADMIN,
    collectivityCode: "13056",
    title: "Journée cybersécurité des petites communes",
    description:
      "Sauvegardes, mots de passe, messagerie : les bons réflexes face aux rançongiciels, avec le CSIRT régional.",
    themes: ["cybersecurite", "administration-agents"],
    format: "hybride",
    inDays: 28,
    from: "09:30",
    to: "16:30",
    department: "13",
    venue: "Salle du Cercle, quai Général Leclerc",
    communeCode: "13056",
    onlineUrl: "https://visio.martigues.fr/cyber",
    capacity: 80,
    status: "published",
  },
  {
    organiser: ADMIN,
    collectivityCode: "79202",
    title: "Assises du très haut débit en Gâtine (deux jours)",
    description:
      "Deux journées pour faire le point sur le déploiement de la fibre en zone rurale et les usages qu'elle permet.",
    themes: ["infrastructures-thd", "economie-emploi"],
    format: "presentiel",
    inDays: 49,
    from: "09:00",
    to: "17:00",
    days: 1,
    department: "79",
    venue: "Palais des congrès, rue de la Citadelle",
    communeCode: "79202",
    onlineUrl: null,
    capacity: 150,
    status: "published",
  },
  {
    organiser: ADMIN,
    collectivityCode: "94033",
    title: "Budget participatif numérique : retours d'expérience",
    description:
      "Comment organiser le vote en ligne d'un budget participatif sans exclure personne.",
    themes: ["democratie-citoyennete"],
    format: "en-ligne",
    inDays: 6,
    from: "12:30",
    to: "13:30",
    department: "94",
    venue: "",
    communeCode: null,
    onlineUrl: "https://visio.fontenay-sous-bois.fr/budget-participatif",
    capacity: 300,
    status: "published",
  },
  {
    organiser: ADMIN,
    collectivityCode: "38382",
    title: "Numérique éducatif : les écoles de Saint-Égrève ouvrent leurs classes",
    description:
      "Visite des classes équipées et échanges avec les enseignants et le service éducation.",
    themes: ["education-jeunesse"],
    format: "presentiel",
    inDays: 42,
    from: "09:00",
    to: "12:00",
    department: "38",
    venue: "École élémentaire Barnave, avenue du Général de Gaulle",
    communeCode: "38382",
    onlineUrl: null,
    capacity: 30,
    status: "published",
  },
  {
    organiser: ADMIN,
    collectivityCode: "95313",
    title: "Patrimoine et numérique : visites augmentées",
    description: "Présentation du parcours de visite augmentée du patrimoine de L'Isle-Adam.",
    themes: ["culture-patrimoine"],
    format: "presentiel",
    inDays: 63,
    from: "14:30",
    to: "17:30",
    department: "95",
    venue: "Musée d'art et d'histoire Louis-Senlecq, Grande Rue",
    communeCode: "95313",
    onlineUrl: null,
    capacity: 40,
    status: "published",
    cancelled: true,
  },
  {
    organiser: BEAUVAIS,
    title: "Café numérique : premiers pas avec les démarches en ligne",
    description: "Un rendez-vous convivial pour accompagner les habitants dans leurs démarches.",
    themes: ["inclusion-mediation"],
    format: "presentiel",
    inDays: -30,
    from: "10:00",
    to: "12:00",
    department: "60",
    venue: "Médiathèque du centre-ville, rue de Calais",
    communeCode: "60057",
    onlineUrl: null,
    capacity: 20,
    status: "published",
  },
  {
    organiser: VANNES,
    title: "Retour sur le label Territoires, Villes et Villages Internet",
    description: "Les lauréats bretons partagent leur dossier de candidature et leurs conseils.",
    themes: ["administration-agents", "democratie-citoyennete"],
    format: "hybride",
    inDays: -60,
    from: "17:30",
    to: "19:30",
    department: "56",
    venue: "Hôtel de ville, place Maurice Marchais",
    communeCode: "56260",
    onlineUrl: "https://visio.vannes.fr/label",
    capacity: null,
    status: "published",
  },
  {
    organiser: ADMIN,
    collectivityCode: "70299",
    title: "Le numérique dans les villages : tour de table en Haute-Saône",
    description: "Élus et secrétaires de mairie échangent sur les outils simples qui marchent.",
    themes: ["administration-agents", "inclusion-mediation"],
    format: "presentiel",
    inDays: -90,
    from: "18:00",
    to: "20:00",
    department: "70",
    venue: "Salle communale",
    communeCode: "70299",
    onlineUrl: null,
    capacity: 35,
    status: "published",
  },
];

/** A demo account by its address, as the models expect a signed-in user. */
export async function userByEmail(db: Database, email: string): Promise<AuthUser | null> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      roles: users.roles,
      profileKind: users.profileKind,
      jobTitle: users.jobTitle,
    })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  return row ?? null;
}

/** A dozen upcoming and past events of real collectivities, in their local time. */
export async function demoEvents(db: Database) {
  let created = 0;
  for (const item of demo) {
    const organiser = await userByEmail(db, item.organiser);
    if (!organiser) continue;
    const zone = zoneForDepartment(item.department);
    const day = addDays(new TZDate(Date.now(), zone), item.inDays);
    const start = `${format(day, "yyyy-MM-dd")}T${item.from}`;
    const end = `${format(addDays(day, item.days ?? 0), "yyyy-MM-dd")}T${item.to}`;
    const {
      organiser: _o,
      inDays: _i,
      from: _f,
      to: _t,
      days: _d,
      department: _dep,
      cancelled,
      registrants,
      programme,
      ...rest
    } = item;
    const result = await createEvent(organiser, {
      ...rest,
      startsAt: start,
      endsAt: end,
      registrationDeadline: null,
      programme: (programme ?? []).map(([time, title, speakers]) => ({
        date: format(day, "yyyy-MM-dd"),
        time,
        title,
        speakers,
      })),
      initiativeIds: [],
    });
    if (!result.ok) continue;
    created += 1;
    for (const email of registrants ?? []) {
      const person = await userByEmail(db, email);
      if (person) await register(person, result.value.id, { showPublicly: true });
    }
    if (cancelled) await updateEvent(organiser, result.value.id, { status: "cancelled" });
  }
  return `${created} événements`;
}
