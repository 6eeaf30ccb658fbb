import { and, asc, eq, like, ne, type SQL } from "drizzle-orm";

import { listCouncilTopics, setTopicSelected } from "../../app/models/council-topics.server";
import { savePage } from "../../app/models/groups-page.server";
import { createWorkingGroup, joinGroup } from "../../app/models/groups.server";
import type { AuthUser } from "../../app/utils/auth.server";
import type { Database } from "../../db/client";
import { councilCalls, users } from "../../db/schema";

async function person(db: Database, where: SQL | undefined): Promise<AuthUser | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, roles: users.roles })
    .from(users)
    .where(where)
    .orderBy(asc(users.email))
    .limit(1);
  return row ? { ...row, profileKind: "partenaire", jobTitle: "" } : null;
}

/**
 * A working group on the 2026 call's most chosen topic: coordinated by a partner's référent,
 * joined by another, with a first version of its shared page.
 */
export async function demoWorkingGroups(db: Database) {
  const admin = await person(db, eq(users.email, "admin@demo.territoires.fr"));
  const [call] = await db
    .select({ id: councilCalls.id })
    .from(councilCalls)
    .where(eq(councilCalls.year, 2026));
  if (!admin || !call) return "pas d'appel 2026 : aucun groupe de travail";
  const [topic] = await listCouncilTopics({ callId: call.id });
  const coordinator = await person(db, like(users.email, "referent.%"));
  if (!topic || !coordinator) return "pas de sujet ni de référent : aucun groupe de travail";
  await setTopicSelected(topic.id, true);
  const created = await createWorkingGroup(admin, {
    topicId: topic.id,
    title: topic.title,
    mandate: `${topic.expectedOutcome} Le groupe rend ses travaux au conseil dans l'année.`,
    coordinatorId: coordinator.id,
  });
  if (!created.ok) return "groupe de travail déjà présent";
  const other = await person(
    db,
    and(like(users.email, "referent.%"), ne(users.id, coordinator.id)),
  );
  if (other) await joinGroup(other, created.value.id);
  await savePage(coordinator, created.value.id, {
    baseVersion: 0,
    body: "## Décisions\n\n- Une réunion en ligne par mois.\n- Un premier guide pour l'été.\n\n## Documents\n\n- Modèle de convention de mutualisation (à rédiger)",
  });
  return `un groupe de travail (« ${topic.title} »)`;
}
