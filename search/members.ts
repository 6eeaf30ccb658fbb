import { and, asc, eq, gt, inArray, ne, sql } from "drizzle-orm";

import { themeLabel } from "../app/utils/themes";
import { db } from "../db/client";
import { collectivities, memberProfiles, memberships, users } from "../db/schema";
import { frenchSettings, KIND_ATTRIBUTE, normalizeFrench } from "./french";
import { registerIndex } from "./registry";

/**
 * Base name of the member profiles index: approved members whose profile is not hidden, with
 * only what each chose to show. `visibility` lets the search propose members-only profiles to
 * signed-in people alone; PostgreSQL confirms every hit before it is shown.
 */
export const MEMBERS_INDEX = "members";

export type MemberDocument = {
  id: string;
  type: typeof MEMBERS_INDEX;
  name: string;
  jobTitle: string;
  collectivityName: string;
  bio: string;
  themes: string[];
  themeLabels: string[];
  profileKind: string;
  departmentCode: string | null;
  regionCode: string | null;
  visibility: "public" | "members";
  updatedAt: number;
};

export const membersIndexSettings = {
  searchableAttributes: ["name", "jobTitle", "collectivityName", "themeLabels", "bio"],
  filterableAttributes: [
    "visibility",
    "themes",
    "profileKind",
    "departmentCode",
    "regionCode",
    KIND_ATTRIBUTE,
  ],
  sortableAttributes: ["name"],
  ...frenchSettings(),
};

/** The visibility filter of a viewer: visitors are proposed public profiles only. */
export function memberVisibilityFilter(signedIn: boolean) {
  return signedIn ? `visibility IN ["public", "members"]` : `visibility = "public"`;
}

const visibility = sql<
  "public" | "members" | "hidden"
>`coalesce(${memberProfiles.visibility}, 'members')`;

async function documents(where: ReturnType<typeof and>, limit?: number) {
  const query = db
    .select({
      id: users.id,
      name: users.name,
      jobTitle: users.jobTitle,
      profileKind: users.profileKind,
      updatedAt: sql<Date>`greatest(${users.updatedAt}, ${memberProfiles.updatedAt}, ${memberships.decidedAt})`,
      collectivityName: collectivities.name,
      departmentCode: collectivities.departmentCode,
      regionCode: collectivities.regionCode,
      visibility,
      bio: memberProfiles.bio,
      expertise: memberProfiles.expertise,
      showJobTitle: memberProfiles.showJobTitle,
      showCollectivity: memberProfiles.showCollectivity,
    })
    .from(users)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.status, "approved")),
    )
    .innerJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
    .leftJoin(memberProfiles, eq(memberProfiles.userId, users.id))
    .where(and(where, ne(visibility, "hidden")))
    .orderBy(asc(users.id));
  const rows = limit ? await query.limit(limit) : await query;
  return rows.map((row): MemberDocument => ({
    id: row.id,
    type: MEMBERS_INDEX,
    name: normalizeFrench(row.name),
    jobTitle: row.showJobTitle === false ? "" : normalizeFrench(row.jobTitle),
    collectivityName: row.showCollectivity === false ? "" : normalizeFrench(row.collectivityName),
    bio: normalizeFrench(row.bio ?? ""),
    themes: row.expertise ?? [],
    themeLabels: (row.expertise ?? []).map(themeLabel),
    profileKind: row.profileKind,
    // Where a member works is part of the collectivity they may hide.
    departmentCode: row.showCollectivity === false ? null : row.departmentCode,
    regionCode: row.showCollectivity === false ? null : row.regionCode,
    visibility: row.visibility === "public" ? "public" : "members",
    updatedAt: new Date(row.updatedAt).getTime(),
  }));
}

registerIndex({
  base: MEMBERS_INDEX,
  documentVersion: 1,
  settings: membersIndexSettings,
  load: (ids) => (ids.length === 0 ? Promise.resolve([]) : documents(inArray(users.id, ids))),
  loadAll: async function* (batchSize) {
    let after = "";
    for (;;) {
      const batch = await documents(gt(users.id, after), batchSize);
      if (batch.length === 0) return;
      yield batch;
      after = batch.at(-1)?.id ?? after;
    }
  },
});
