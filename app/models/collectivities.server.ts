import { and, asc, count, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  collectivities,
  memberships,
  users,
  type CollectivityKind,
  type MembershipStatus,
  type ProfileKind,
} from "../../db/schema";
import { normalizeForSearch } from "../../db/search-name";
import { hasRole, invalidateUserSessions, type AuthUser } from "../utils/auth.server";
import { pageTags } from "../utils/page-cache.server";
import { escapeLike } from "../utils/text";
import { pagesChanged } from "./after-commit.server";
import { afterMemberChange } from "./member-index.server";

export type CollectivitiesQuery = {
  q?: string;
  region?: string;
  department?: string;
  kind?: CollectivityKind;
  /** "membre du réseau": collectivities with an approved member ("oui") or without ("non"). */
  network?: "oui" | "non";
  page?: number;
  pageSize?: number;
};

export const collectivitySummaryColumns = {
  code: collectivities.code,
  kind: collectivities.kind,
  name: collectivities.name,
  subtype: collectivities.subtype,
  departmentCode: collectivities.departmentCode,
  regionCode: collectivities.regionCode,
  population: collectivities.population,
  postcodes: collectivities.postcodes,
};

export type CollectivitySummary = {
  code: string;
  kind: CollectivityKind;
  name: string;
  subtype: string | null;
  departmentCode: string | null;
  regionCode: string | null;
  population: number | null;
  postcodes: string[];
};

/** A collectivity is in the network once one of its members is approved. */
const inNetwork = sql<boolean>`exists (select 1 from ${memberships} where ${memberships.collectivityCode} = ${collectivities.code} and ${memberships.status} = 'approved')`;

/**
 * Directory search: by name (accent- and case-insensitive, "St" = "Saint"), postcode, INSEE code
 * or SIREN. Exact names first, then names starting with the query, then the most populated.
 */
export async function searchCollectivities(query: CollectivitiesQuery) {
  const pageSize = query.pageSize ?? 20;
  const page = Math.max(1, query.page ?? 1);
  const filters: SQL[] = [];
  if (query.region) filters.push(eq(collectivities.regionCode, query.region));
  if (query.department) filters.push(eq(collectivities.departmentCode, query.department));
  if (query.kind) filters.push(eq(collectivities.kind, query.kind));
  if (query.network) filters.push(query.network === "oui" ? inNetwork : sql`not ${inNetwork}`);

  const raw = (query.q ?? "").trim();
  const term = normalizeForSearch(raw);
  let order: SQL[] = [];
  if (/^\d{5}$/.test(raw) || /^2[AB]\d{3}$/i.test(raw)) {
    const code = raw.toUpperCase();
    filters.push(
      sql`(${collectivities.code} = ${code} or ${collectivities.postcodes} @> array[${code}]::text[])`,
    );
  } else if (/^\d{9}$/.test(raw)) {
    filters.push(eq(collectivities.code, raw));
  } else if (term) {
    const escaped = escapeLike(term);
    filters.push(sql`${collectivities.searchName} like ${`%${escaped}%`}`);
    order = [
      sql`(${collectivities.searchName} = ${term}) desc`,
      sql`(${collectivities.searchName} like ${`${escaped}%`}) desc`,
    ];
  }
  const where = filters.length > 0 ? and(...filters) : undefined;
  // One query gives the page and the total (a window count over the same scan).
  const rows = await db
    .select({
      ...collectivitySummaryColumns,
      inNetwork,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(collectivities)
    .where(where)
    .orderBy(...order, sql`${collectivities.population} desc nulls last`, asc(collectivities.code))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page > 1) {
    const [counted] = await db.select({ total: count() }).from(collectivities).where(where);
    total = counted?.total ?? 0;
  }
  const items: Array<CollectivitySummary & { inNetwork: boolean }> = rows.map(
    ({ total: _total, ...item }) => item,
  );
  return { items, total, page, pageSize };
}

export async function getCollectivity(code: string) {
  const [row] = await db
    .select({ ...collectivitySummaryColumns, epciCode: collectivities.epciCode })
    .from(collectivities)
    .where(eq(collectivities.code, code));
  if (!row) return null;
  const related = [
    row.epciCode,
    row.departmentCode && `dep-${row.departmentCode}`,
    row.regionCode && `reg-${row.regionCode}`,
  ].filter((value): value is string => Boolean(value));
  const parents =
    related.length > 0
      ? await db
          .select({
            code: collectivities.code,
            name: collectivities.name,
            kind: collectivities.kind,
          })
          .from(collectivities)
          .where(inArray(collectivities.code, related))
      : [];
  return { ...row, parents };
}

/** Régions and départements for the directory filters. */
export async function listAreas() {
  const rows = await db
    .select({
      code: collectivities.code,
      kind: collectivities.kind,
      name: collectivities.name,
      regionCode: collectivities.regionCode,
      departmentCode: collectivities.departmentCode,
    })
    .from(collectivities)
    .where(inArray(collectivities.kind, ["region", "departement"]))
    .orderBy(asc(collectivities.code));
  return {
    regions: rows
      .filter((r) => r.kind === "region")
      .map((r) => ({ code: r.regionCode ?? "", name: r.name }))
      .sort((a, b) => a.name.localeCompare(b.name, "fr")),
    departments: rows
      .filter((r) => r.kind === "departement")
      .map((r) => ({ code: r.departmentCode ?? "", name: r.name, regionCode: r.regionCode })),
  };
}

export type Member = {
  userId: string;
  name: string;
  jobTitle: string;
  profileKind: ProfileKind;
  status: MembershipStatus;
  isReferent: boolean;
  since: Date;
};

/**
 * Members of a collectivity. Everyone sees the approved and former members; the people who may
 * manage the collectivity also see the pending requests.
 */
export async function listMembers(code: string, viewer: AuthUser | null) {
  const manage = viewer ? await canManageMembers(viewer, code) : false;
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      jobTitle: users.jobTitle,
      profileKind: users.profileKind,
      status: memberships.status,
      isReferent: memberships.isReferent,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.collectivityCode, code),
        manage ? undefined : ne(memberships.status, "pending"),
      ),
    )
    .orderBy(desc(memberships.isReferent), asc(memberships.status), asc(users.name));
  return { members: rows as Member[], canManage: manage };
}

/** The memberships that make their holder the référent (of this collectivity, when given). */
function referentMembership(code?: string) {
  return and(
    code === undefined ? undefined : eq(memberships.collectivityCode, code),
    eq(memberships.status, "approved"),
    eq(memberships.isReferent, true),
  );
}

/** Admins, and the approved référent of the collectivity. */
export async function canManageMembers(viewer: Pick<AuthUser, "id" | "roles">, code: string) {
  if (hasRole(viewer, "admin")) return true;
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, viewer.id), referentMembership(code)));
  return Boolean(row);
}

/** The approved référents of a collectivity (one as a rule), to tell it what concerns it. */
export async function referentsOf(code: string, executor: Executor = db) {
  const rows = await executor
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(referentMembership(code));
  return rows.map((row) => row.userId);
}

export type MembershipDecision = "approve" | "remove" | "make-referent";

/**
 * Approve a pending member, remove a member (they become "former": their contributions stay
 * credited), or hand the référent role over. Returns false when the viewer may not do it or the
 * member does not exist, which the routes answer with the same 404.
 */
export async function decideMembership(
  viewer: AuthUser,
  code: string,
  memberUserId: string,
  decision: MembershipDecision,
) {
  if (!(await canManageMembers(viewer, code))) return false;
  const current = and(
    eq(memberships.userId, memberUserId),
    eq(memberships.collectivityCode, code),
    ne(memberships.status, "former"),
  );
  const done = await db.transaction(async (tx) => {
    const [membership] = await tx.select().from(memberships).where(current).for("update");
    if (!membership) return false;
    const decided = { decidedAt: new Date(), decidedBy: viewer.id };
    if (decision === "approve") {
      await tx
        .update(memberships)
        .set({ status: "approved", ...decided })
        .where(current);
    } else if (decision === "remove") {
      await tx
        .update(memberships)
        .set({ status: "former", isReferent: false, ...decided })
        .where(current);
    } else {
      if (membership.status !== "approved") return false;
      // One référent per collectivity: the role moves, it is not shared.
      await tx
        .update(memberships)
        .set({ isReferent: false })
        .where(and(eq(memberships.collectivityCode, code), eq(memberships.isReferent, true)));
      await tx
        .update(memberships)
        .set({ isReferent: true, ...decided })
        .where(current);
    }
    await afterMemberChange(tx, memberUserId);
    return true;
  });
  // The figures of the network, and the collectivity shown under the member's name.
  if (done) await pagesChanged([pageTags.network, pageTags.member(memberUserId)]);
  // Rights taken away or granted: either way the member's sessions end, and the next one is
  // opened with the new rights (a session id known before cannot inherit them).
  if (done) await invalidateUserSessions(memberUserId, "revoked");
  return done;
}

/** The membership requests waiting for a decision, for admins (all) or a référent (theirs). */
export async function listPendingMemberships(viewer: AuthUser) {
  const isAdmin = hasRole(viewer, "admin");
  const referentOf = db
    .select({ code: memberships.collectivityCode })
    .from(memberships)
    .where(and(eq(memberships.userId, viewer.id), referentMembership()));
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      jobTitle: users.jobTitle,
      profileKind: users.profileKind,
      collectivityCode: collectivities.code,
      collectivityName: collectivities.name,
      requestedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
    .where(
      and(
        eq(memberships.status, "pending"),
        isAdmin ? undefined : inArray(memberships.collectivityCode, referentOf),
      ),
    )
    .orderBy(asc(memberships.createdAt))
    .limit(200);
}

/** The approved collectivity of a user: only approved members publish in its name. */
export async function approvedCollectivityOf(userId: string) {
  const [row] = await db
    .select({ code: memberships.collectivityCode })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "approved")));
  return row?.code ?? null;
}

export async function networkFigures() {
  const [row] = await db
    .select({
      members:
        sql<number>`count(distinct ${memberships.userId}) filter (where ${memberships.status} = 'approved')`.mapWith(
          Number,
        ),
      collectivities:
        sql<number>`count(distinct ${memberships.collectivityCode}) filter (where ${memberships.status} = 'approved')`.mapWith(
          Number,
        ),
    })
    .from(memberships);
  const [directory] = await db.select({ total: count() }).from(collectivities);
  return {
    members: row?.members ?? 0,
    memberCollectivities: row?.collectivities ?? 0,
    directory: directory?.total ?? 0,
  };
}

export type Resolution =
  | { status: "found"; code: string }
  | { status: "ambiguous"; candidates: CollectivitySummary[] }
  | { status: "missing" };

/**
 * Turns what a person typed in the collectivity field into one collectivity: "Vannes (56260)"
 * from the suggestions, a bare code, or a name that only one collectivity bears.
 */
export async function resolveCollectivity(input: string): Promise<Resolution> {
  const trimmed = input.trim();
  const code = /\(([0-9AB]{5}|\d{9}|dep-\w+|reg-\w+)\)\s*$/i.exec(trimmed)?.[1] ?? trimmed;
  const [byCode] = await db
    .select({ code: collectivities.code })
    .from(collectivities)
    .where(eq(collectivities.code, code));
  if (byCode) return { status: "found", code: byCode.code };
  const term = normalizeForSearch(trimmed.replace(/\([^)]*\)\s*$/, ""));
  if (!term) return { status: "missing" };
  const candidates = (await db
    .select(collectivitySummaryColumns)
    .from(collectivities)
    .where(eq(collectivities.searchName, term))
    .orderBy(sql`${collectivities.population} desc nulls last`)
    .limit(20)) as CollectivitySummary[];
  if (candidates.length === 1 && candidates[0])
    return { status: "found", code: candidates[0].code };
  if (candidates.length > 1) return { status: "ambiguous", candidates };
  const similar = await searchCollectivities({ q: trimmed, pageSize: 10 });
  return similar.items.length > 0
    ? { status: "ambiguous", candidates: similar.items }
    : { status: "missing" };
}

/** "Vannes (56260)": the label used by the pickers, which resolveCollectivity reads back. */
export function collectivityLabel(c: Pick<CollectivitySummary, "name" | "code">) {
  return `${c.name} (${c.code})`;
}
