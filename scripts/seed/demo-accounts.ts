import { createAccount, setRoles, upsertAdmin } from "../../app/models/accounts.server";
import { decideMembership } from "../../app/models/collectivities.server";
import type { AuthUser } from "../../app/utils/auth.server";
import type { Database } from "../../db/client";
import type { ProfileKind, Role } from "../../db/schema";

/** Password of every demo account, printed in the README; demo data only. */
export const DEMO_PASSWORD = "demo-territoires-2026";

type DemoPerson = {
  email: string;
  name: string;
  jobTitle: string;
  profileKind: ProfileKind;
  collectivityCode: string;
  roles?: Role[];
  referent?: boolean;
  pending?: boolean;
};

export const demoPeople: DemoPerson[] = [
  {
    email: "referente.vannes@demo.territoires.fr",
    name: "Maëlle Le Goff",
    jobTitle: "Adjointe au maire chargée du numérique",
    profileKind: "elu",
    collectivityCode: "56260",
    referent: true,
    roles: ["organiser"],
  },
  {
    email: "dsi.vannes@demo.territoires.fr",
    name: "Yann Guillou",
    jobTitle: "Directeur des systèmes d'information",
    profileKind: "agent",
    collectivityCode: "56260",
  },
  {
    email: "maire.lavoncourt@demo.territoires.fr",
    name: "Claire Jacquot",
    jobTitle: "Maire",
    profileKind: "elu",
    collectivityCode: "70299",
    referent: true,
  },
  {
    email: "secretaire.lavoncourt@demo.territoires.fr",
    name: "Paul Mercier",
    jobTitle: "Secrétaire de mairie",
    profileKind: "agent",
    collectivityCode: "70299",
    pending: true,
  },
  {
    email: "numerique.beauvais@demo.territoires.fr",
    name: "Sofiane Benali",
    jobTitle: "Chargé de mission inclusion numérique",
    profileKind: "agent",
    collectivityCode: "60057",
    referent: true,
    roles: ["organiser"],
  },
  {
    email: "moderation@demo.territoires.fr",
    name: "Hélène Marchand",
    jobTitle: "Animatrice du réseau",
    profileKind: "partenaire",
    collectivityCode: "75056",
    roles: ["moderator", "jury"],
    referent: true,
  },
];

export async function demoAccounts(_db: Database) {
  const admin = await upsertAdmin({
    email: "admin@demo.territoires.fr",
    password: DEMO_PASSWORD,
    name: "Équipe du réseau",
  });
  const adminUser: AuthUser = {
    id: admin.userId,
    email: "admin@demo.territoires.fr",
    name: "Équipe du réseau",
    roles: ["member", "admin"],
    profileKind: "partenaire",
    jobTitle: "",
  };
  let created = 1;
  for (const person of demoPeople) {
    const result = await createAccount({
      ...person,
      password: DEMO_PASSWORD,
      approvedBy: person.pending ? undefined : admin.userId,
    });
    if (!result.ok) continue;
    created += 1;
    if (person.roles) await setRoles(result.value.userId, person.roles);
    if (person.referent)
      await decideMembership(
        adminUser,
        person.collectivityCode,
        result.value.userId,
        "make-referent",
      );
  }
  return `${created} comptes (mot de passe ${DEMO_PASSWORD})`;
}
