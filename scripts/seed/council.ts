import { and, eq, inArray } from "drizzle-orm";

import { createAccount } from "../../app/models/accounts.server";
import { decideMembership } from "../../app/models/collectivities.server";
import { openCall, proposeTopic } from "../../app/models/council-topics.server";
import { castBallot, createVote } from "../../app/models/council-votes.server";
import { createPartner } from "../../app/models/organisations.server";
import type { AuthUser } from "../../app/utils/auth.server";
import type { Database } from "../../db/client";
import { councilCalls, councilVotes, memberships, users } from "../../db/schema";
import { DEMO_PASSWORD } from "./demo-accounts";

const hour = 60 * 60 * 1000;
const day = 24 * hour;

const partners = [
  {
    name: "Numérique Ouest Coopérative",
    kind: "entreprise",
    college: "economique",
    siren: "732829320",
  },
  { name: "Fédération des centres sociaux du Morbihan", kind: "association", college: "social" },
  { name: "Université Bretagne Sud", kind: "ecole-universite", college: "education-recherche" },
  { name: "Préfecture de la région Bretagne", kind: "service-etat", college: "etat-services" },
] as const;

const topics = [
  ["Mutualiser les délégués à la protection des données", "cybersecurite"],
  ["Sobriété numérique des services publics locaux", "services-en-ligne"],
  ["Former les élus au numérique responsable", "inclusion-numerique"],
] as const;

/**
 * The council's demo: four partners (two with a référent), the 2026 call with its closed vote and
 * published count, and the 2027 call open for proposals.
 */
export async function demoCouncil(db: Database) {
  const referents: AuthUser[] = [];
  for (const [index, partner] of partners.entries()) {
    const created = await createPartner({ ...partner, description: "Partenaire du conseil." });
    if (!created.ok || index > 1) continue;
    const email = `referent.${created.value.slug}@demo.territoires.fr`;
    const account = await createAccount({
      email,
      password: DEMO_PASSWORD,
      name: index === 0 ? "Yann Le Bihan" : "Soizic Guillou",
      jobTitle: "Référent·e du partenaire",
      profileKind: "partenaire",
      collectivityCode: `org-${created.value.slug}`,
    });
    if (!account.ok) continue;
    const [admin] = await db
      .select({ id: users.id, email: users.email, name: users.name, roles: users.roles })
      .from(users)
      .where(eq(users.email, "admin@demo.territoires.fr"));
    if (!admin) continue;
    const approver: AuthUser = { ...admin, profileKind: "partenaire", jobTitle: "" };
    const code = `org-${created.value.slug}`;
    await decideMembership(approver, code, account.value.userId, "approve");
    await decideMembership(approver, code, account.value.userId, "make-referent");
  }
  const referentRows = await db
    .select({ id: users.id, email: users.email, name: users.name, roles: users.roles })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(eq(memberships.isReferent, true), eq(memberships.status, "approved")));
  for (const row of referentRows) referents.push({ ...row, profileKind: "agent", jobTitle: "" });
  // The partners' référents propose: fresh accounts, within the forums' limit of new topics.
  const authors = referents.filter((r) => r.email.startsWith("referent."));
  if (authors.length === 0) return "aucun référent : conseil non créé";

  const past = await openCall({
    year: 2026,
    title: "Appel à sujets 2026",
    opensAt: new Date(Date.now() - hour),
    closesAt: new Date(Date.now() + hour),
  });
  if (!past.ok) return "appel 2026 déjà présent";
  const ids: string[] = [];
  for (const [index, [title, theme]] of topics.entries()) {
    const proposed = await proposeTopic(
      authors[index % authors.length]!,
      past.value.id,
      {
        title,
        why: "Un besoin partagé par les collectivités et les partenaires du réseau.",
        expectedOutcome: "Un guide publié sur la plateforme.",
        themes: [theme],
      },
      (id) => `/conseil/sujets/${id}`,
    );
    if (proposed.ok) ids.push(proposed.value.id);
  }
  const vote = await createVote({
    callId: past.value.id,
    title: "Choix des sujets 2026",
    opensAt: new Date(Date.now() - hour),
    closesAt: new Date(Date.now() + hour),
    maxChoices: 2,
  });
  if (!vote.ok) return "vote non créé";
  for (const [index, referent] of referents.entries()) {
    await castBallot(referent, vote.value.id, [ids[index % ids.length]!, ids[0]!]);
  }
  // Demo only: the 2026 call and its vote are moved into the past, so the count is published.
  await db
    .update(councilCalls)
    .set({ opensAt: new Date(Date.now() - 120 * day), closesAt: new Date(Date.now() - 90 * day) })
    .where(eq(councilCalls.id, past.value.id));
  await db
    .update(councilVotes)
    .set({ opensAt: new Date(Date.now() - 80 * day), closesAt: new Date(Date.now() - 60 * day) })
    .where(inArray(councilVotes.id, [vote.value.id]));

  await openCall({
    year: 2027,
    title: "Appel à sujets 2027",
    opensAt: new Date(Date.now() - day),
    closesAt: new Date(Date.now() + 30 * day),
  });
  return `${partners.length} partenaires, un vote clos (${referents.length} bulletins), un appel ouvert`;
}
