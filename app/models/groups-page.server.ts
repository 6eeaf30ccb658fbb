import { and, desc, eq, lt } from "drizzle-orm";

import { db } from "../../db/client";
import { users, workingGroupPageVersions, workingGroups } from "../../db/schema";
import type { AuthUser } from "../utils/auth.server";
import { renderMarkdown } from "../utils/markdown.server";
import { FORMER_MEMBER } from "./forums.server";
import { isGroupMember, mayRunGroup } from "./groups.server";
import { failure, type Result } from "./result.server";

/**
 * A working group's shared page of documents and decisions. Every save writes a new version
 * (author, time, markdown and its sanitised HTML); the latest version is the page. A save names
 * the version it started from, so two people editing at once never overwrite each other.
 */

const versionColumns = {
  version: workingGroupPageVersions.version,
  body: workingGroupPageVersions.body,
  html: workingGroupPageVersions.html,
  authorName: users.name,
  createdAt: workingGroupPageVersions.createdAt,
};

function versionsQuery(groupId: string) {
  return db
    .select(versionColumns)
    .from(workingGroupPageVersions)
    .leftJoin(users, eq(users.id, workingGroupPageVersions.authorId))
    .where(eq(workingGroupPageVersions.groupId, groupId))
    .$dynamic();
}

function withAuthor<T extends { authorName: string | null }>(row: T) {
  return { ...row, authorName: row.authorName ?? FORMER_MEMBER };
}

/** The page as it stands (its latest version), or null before the first save. */
export async function currentPage(groupId: string) {
  const [row] = await versionsQuery(groupId)
    .orderBy(desc(workingGroupPageVersions.version))
    .limit(1);
  return row ? withAuthor(row) : null;
}

/** Every version, newest first, without the texts. */
export async function pageHistory(groupId: string) {
  const rows = await db
    .select({
      version: workingGroupPageVersions.version,
      authorName: users.name,
      createdAt: workingGroupPageVersions.createdAt,
    })
    .from(workingGroupPageVersions)
    .leftJoin(users, eq(users.id, workingGroupPageVersions.authorId))
    .where(eq(workingGroupPageVersions.groupId, groupId))
    .orderBy(desc(workingGroupPageVersions.version));
  return rows.map(withAuthor);
}

/** One version and the one before it (what this save changed). */
export async function pageVersion(groupId: string, version: number) {
  const [[row], [previous]] = await Promise.all([
    versionsQuery(groupId).where(
      and(
        eq(workingGroupPageVersions.groupId, groupId),
        eq(workingGroupPageVersions.version, version),
      ),
    ),
    versionsQuery(groupId)
      .where(
        and(
          eq(workingGroupPageVersions.groupId, groupId),
          lt(workingGroupPageVersions.version, version),
        ),
      )
      .orderBy(desc(workingGroupPageVersions.version))
      .limit(1),
  ]);
  if (!row) return null;
  return { version: withAuthor(row), previous: previous ? withAuthor(previous) : null };
}

export type SavePageInput = { body: string; baseVersion: number };

/**
 * Members (and the coordination) of an open group save the page. The group's row is locked
 * while the next number is taken, so of two saves from the same version the second gets a 409
 * naming who saved meanwhile, and keeps its text for the form to show again.
 */
export async function savePage(
  author: AuthUser,
  groupId: string,
  input: SavePageInput,
): Promise<Result<{ version: number }>> {
  const [group] = await db
    .select({ status: workingGroups.status, coordinatorId: workingGroups.coordinatorId })
    .from(workingGroups)
    .where(eq(workingGroups.id, groupId));
  if (!group) return failure(404, {}, "Groupe de travail introuvable.");
  if (!mayRunGroup(author, group) && !(await isGroupMember(groupId, author.id))) {
    return failure(403, {}, "Seuls les membres du groupe modifient sa page.");
  }
  if (group.status === "closed") {
    return failure(409, {}, "Ce groupe de travail est clos : sa page ne change plus.");
  }
  const html = renderMarkdown(input.body);
  return db.transaction(async (tx) => {
    await tx
      .select({ id: workingGroups.id })
      .from(workingGroups)
      .where(eq(workingGroups.id, groupId))
      .for("update");
    const [latest] = await tx
      .select({ version: workingGroupPageVersions.version, authorName: users.name })
      .from(workingGroupPageVersions)
      .leftJoin(users, eq(users.id, workingGroupPageVersions.authorId))
      .where(eq(workingGroupPageVersions.groupId, groupId))
      .orderBy(desc(workingGroupPageVersions.version))
      .limit(1);
    const current = latest?.version ?? 0;
    if (current !== input.baseVersion) {
      return failure(409, {
        body: [
          `${latest?.authorName ?? FORMER_MEMBER} a enregistré la version ${current} pendant que vous écriviez. Votre texte est conservé ci-dessous : reprenez les changements de la version actuelle, puis enregistrez de nouveau.`,
        ],
      });
    }
    const version = current + 1;
    await tx
      .insert(workingGroupPageVersions)
      .values({ groupId, version, body: input.body, html, authorId: author.id });
    return { ok: true as const, value: { version } };
  });
}

/** What the RGPD export holds of the versions a person wrote. */
export async function pageVersionsOfAccount(userId: string) {
  return db
    .select({
      groupId: workingGroupPageVersions.groupId,
      version: workingGroupPageVersions.version,
      body: workingGroupPageVersions.body,
      createdAt: workingGroupPageVersions.createdAt,
    })
    .from(workingGroupPageVersions)
    .where(eq(workingGroupPageVersions.authorId, userId));
}
