import { TZDate } from "@date-fns/tz";
import { addDays, format } from "date-fns";

import { register } from "../../app/models/event-registrations.server";
import {
  createSeries,
  createStage,
  decideInvitation,
  inviteHost,
} from "../../app/models/event-series-writes.server";
import type { EventInput } from "../../app/models/events.server";
import { zoneForDepartment } from "../../app/utils/dates";
import type { Database } from "../../db/client";
import { userByEmail } from "./demo-events";

const ADMIN = "admin@demo.territoires.fr";

type DemoStage = {
  /** Who creates the stage: a member of the host (admins name the host). */
  by: string;
  host: string;
  /** Who accepts the invitation: the host's référent, or an admin. */
  acceptedBy: string;
  department: string;
  inDays: number;
  from: string;
  to: string;
  stage: Omit<EventInput, "startsAt" | "endsAt" | "registrationDeadline" | "initiativeIds">;
  registrants?: string[];
};

const stages: DemoStage[] = [
  {
    by: "dsi.vannes@demo.territoires.fr",
    host: "56260",
    acceptedBy: "referente.vannes@demo.territoires.fr",
    department: "56",
    inDays: 30,
    from: "09:30",
    to: "17:00",
    stage: {
      title: "Assises de l'identité numérique — étape de Vannes",
      description:
        "L'étape bretonne : identité numérique et accueil des habitants au guichet, avec les communes du Golfe du Morbihan.",
      themes: ["services-en-ligne", "inclusion-mediation"],
      format: "presentiel",
      venue: "Palais des Arts, place de Bretagne",
      communeCode: "56260",
      onlineUrl: null,
      capacity: 80,
      status: "published",
      programme: [],
    },
    registrants: ["maire.lavoncourt@demo.territoires.fr"],
  },
  {
    by: "maire.lavoncourt@demo.territoires.fr",
    host: "70299",
    acceptedBy: "maire.lavoncourt@demo.territoires.fr",
    department: "70",
    inDays: 45,
    from: "14:00",
    to: "18:00",
    stage: {
      title: "Assises de l'identité numérique — étape rurale de Lavoncourt",
      description:
        "Les petites communes de Haute-Saône et l'identité numérique : secrétariat de mairie, France services, accompagnement.",
      themes: ["administration-agents", "inclusion-mediation"],
      format: "hybride",
      venue: "Salle communale",
      communeCode: "70299",
      onlineUrl: "https://visio.territoires-internet.fr/assises-lavoncourt",
      capacity: 40,
      status: "published",
      programme: [],
    },
    registrants: ["referente.vannes@demo.territoires.fr"],
  },
  {
    by: ADMIN,
    host: "97101",
    acceptedBy: ADMIN,
    department: "971",
    inDays: 60,
    from: "09:00",
    to: "12:30",
    stage: {
      title: "Assises de l'identité numérique — étape des Abymes (Guadeloupe)",
      description:
        "L'étape ultramarine, à l'heure de la Guadeloupe : identité numérique et continuité des services publics dans les îles.",
      themes: ["services-en-ligne", "cybersecurite"],
      format: "presentiel",
      venue: "Hôtel de ville des Abymes",
      communeCode: "97101",
      onlineUrl: null,
      capacity: 60,
      status: "published",
      programme: [],
      collectivityCode: "97101",
    },
  },
];

/**
 * The assises as a series: three stages hosted by invited collectivities in three
 * départements, one overseas; Beauvais is invited and has not answered yet.
 */
export async function demoEventSeries(db: Database) {
  const admin = await userByEmail(db, ADMIN);
  if (!admin) return "aucun cycle (compte administrateur absent)";
  const series = await createSeries(admin, {
    title: "Assises territoriales de l'identité numérique 2027",
    description:
      "Les assises font étape dans les territoires : dans chaque collectivité hôte, élus, agents et partenaires débattent de l'identité numérique, de FranceConnect et de l'accompagnement des habitants.\n\nChaque étape a son programme et ses inscriptions ; l'agenda du cycle les réunit toutes.",
    status: "published",
  });
  if (!series.ok) return "aucun cycle";
  let created = 0;
  for (const item of stages) {
    const [by, acceptedBy] = await Promise.all([
      userByEmail(db, item.by),
      userByEmail(db, item.acceptedBy),
    ]);
    if (!by || !acceptedBy) continue;
    await inviteHost(admin, series.value.id, item.host);
    await decideInvitation(acceptedBy, series.value.id, item.host, "accept");
    const day = addDays(new TZDate(Date.now(), zoneForDepartment(item.department)), item.inDays);
    const date = format(day, "yyyy-MM-dd");
    const stage = await createStage(by, series.value.id, {
      ...item.stage,
      startsAt: `${date}T${item.from}`,
      endsAt: `${date}T${item.to}`,
      registrationDeadline: null,
      initiativeIds: [],
    });
    if (!stage.ok) continue;
    created += 1;
    for (const email of item.registrants ?? []) {
      const person = await userByEmail(db, email);
      if (person) await register(person, stage.value.id);
    }
  }
  await inviteHost(admin, series.value.id, "60057");
  return `1 cycle, ${created} étapes`;
}
