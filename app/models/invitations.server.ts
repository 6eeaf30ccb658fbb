import { and, desc, eq, gt, isNotNull, isNull, ne, notExists, sql, type SQL } from "drizzle-orm";

import { db } from "../../db/client";
import {
  collectivities,
  invitations,
  memberships,
  users,
  type CollectivityKind,
} from "../../db/schema";
import { invitationMail } from "../mail/account-templates.server";
import { hasRole, type AuthUser } from "../utils/auth.server";
import { randomId, sha256 } from "../utils/ids.server";
import { approvedCollectivityOf } from "./collectivities.server";
import { enqueueMail } from "./mail-outbox.server";
import { mailLinks } from "./mail-preferences.server";
import { failure, type Result } from "./result.server";

/**
 * "Invitez une commune voisine": an approved member invites a person at another collectivity.
 * The mailed link pre-fills sign-up and the membership request; it serves once, may be
 * withdrawn, and expires after 30 days.
 */

const VALID_DAYS = 30;
const TOKEN_PATTERN = /^[a-z2-7]{40}$/;

export const WITHDRAWN_INVITATION =
  "Cette invitation a été retirée par la personne qui l'avait envoyée. Vous pouvez tout de même créer un compte.";
export const EXPIRED_INVITATION =
  "Cette invitation a expiré ou a déjà servi. Vous pouvez tout de même créer un compte.";

export async function inviteCollectivity(
  inviter: AuthUser,
  input: { toCollectivityCode: string; email: string; message: string },
): Promise<Result<{ id: string }>> {
  const fromCode = await approvedCollectivityOf(inviter.id);
  if (!fromCode) {
    return failure(403, {}, "Seuls les membres validés d'une collectivité peuvent inviter.");
  }
  if (fromCode === input.toCollectivityCode) {
    return failure(400, {
      toCollectivityCode: ["Invitez une autre collectivité que la vôtre."],
    });
  }
  const [from, to] = await Promise.all([
    db
      .select({ name: collectivities.name })
      .from(collectivities)
      .where(eq(collectivities.code, fromCode)),
    db
      .select({ name: collectivities.name })
      .from(collectivities)
      .where(eq(collectivities.code, input.toCollectivityCode)),
  ]);
  if (!to[0]) {
    return failure(400, {
      toCollectivityCode: ["Cette collectivité est introuvable dans l'annuaire."],
    });
  }
  const token = randomId(25);
  const id = randomId();
  const expiresAt = new Date(Date.now() + VALID_DAYS * 24 * 3_600_000);
  await db.transaction(async (tx) => {
    await tx.insert(invitations).values({
      id,
      tokenHash: sha256(token),
      fromCollectivityCode: fromCode,
      invitedBy: inviter.id,
      toCollectivityCode: input.toCollectivityCode,
      email: input.email,
      message: input.message,
      expiresAt,
    });
    const links = mailLinks();
    await enqueueMail(
      tx,
      invitationMail({
        email: input.email,
        inviterName: inviter.name,
        fromCollectivityName: from[0]?.name ?? "",
        toCollectivityName: to[0]!.name,
        message: input.message,
        url: `${links.origin}/inscription?invitation=${token}`,
        expiresAt,
        links,
      }),
    );
  });
  return { ok: true, value: { id } };
}

/** The inviter (or an admin) withdraws a pending invitation; false when there is none. */
export async function withdrawInvitation(viewer: AuthUser, id: string) {
  const withdrawn = await db
    .update(invitations)
    .set({ withdrawnAt: new Date() })
    .where(
      and(
        eq(invitations.id, id),
        hasRole(viewer, "admin") ? undefined : eq(invitations.invitedBy, viewer.id),
        isNull(invitations.withdrawnAt),
        isNull(invitations.acceptedAt),
      ),
    )
    .returning({ id: invitations.id });
  return withdrawn.length > 0;
}

export type InvitationState =
  | {
      ok: true;
      email: string;
      message: string;
      inviterName: string;
      fromCollectivityName: string;
      toCollectivityCode: string;
      toCollectivityName: string;
    }
  | { ok: false; message: string };

/** What a sign-up link says: the pre-filled values, or why it no longer serves. */
export async function readInvitation(token: string): Promise<InvitationState> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, message: EXPIRED_INVITATION };
  const [row] = await db
    .select({
      email: invitations.email,
      message: invitations.message,
      inviterName: users.name,
      fromCollectivityName: sql<string>`(select ${collectivities.name} from ${collectivities} where ${collectivities.code} = ${invitations.fromCollectivityCode})`,
      toCollectivityCode: invitations.toCollectivityCode,
      toCollectivityName: collectivities.name,
      withdrawn: isNotNull(invitations.withdrawnAt),
      live: sql<boolean>`${invitations.expiresAt} > now() and ${invitations.acceptedAt} is null`,
    })
    .from(invitations)
    .innerJoin(collectivities, eq(collectivities.code, invitations.toCollectivityCode))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(eq(invitations.tokenHash, sha256(token)));
  if (!row) return { ok: false, message: EXPIRED_INVITATION };
  if (row.withdrawn) return { ok: false, message: WITHDRAWN_INVITATION };
  if (!row.live) return { ok: false, message: EXPIRED_INVITATION };
  const { withdrawn: _w, live: _l, inviterName, ...rest } = row;
  return { ok: true, ...rest, inviterName: inviterName ?? "Un membre du réseau" };
}

/** Marks the invitation used by a new account; false when it was withdrawn or expired meanwhile. */
export async function acceptInvitation(token: string, userId: string) {
  const accepted = await db
    .update(invitations)
    .set({ acceptedBy: userId, acceptedAt: new Date() })
    .where(
      and(
        eq(invitations.tokenHash, sha256(token)),
        isNull(invitations.withdrawnAt),
        isNull(invitations.acceptedAt),
        gt(invitations.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: invitations.id });
  return accepted.length > 0;
}

/**
 * The invitations a collectivity sent, for its approved members (and admins): the addresses only
 * to the person who wrote each one; the people who joined thanks to them, to all of them.
 */
export async function invitationsOf(viewer: AuthUser, code: string) {
  const own = (await approvedCollectivityOf(viewer.id)) === code;
  if (!own && !hasRole(viewer, "admin")) return null;
  const rows = await db
    .select({
      id: invitations.id,
      invitedBy: invitations.invitedBy,
      email: invitations.email,
      toCollectivityCode: invitations.toCollectivityCode,
      toCollectivityName: collectivities.name,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      withdrawnAt: invitations.withdrawnAt,
      acceptedAt: invitations.acceptedAt,
      joinedUserId: invitations.acceptedBy,
      joinedName: users.name,
    })
    .from(invitations)
    .innerJoin(collectivities, eq(collectivities.code, invitations.toCollectivityCode))
    .leftJoin(users, eq(users.id, invitations.acceptedBy))
    .where(eq(invitations.fromCollectivityCode, code))
    .orderBy(desc(invitations.createdAt))
    .limit(100);
  const now = Date.now();
  return rows.map(({ email, invitedBy, ...row }) => ({
    ...row,
    email: invitedBy === viewer.id || hasRole(viewer, "admin") ? email : null,
    mine: invitedBy === viewer.id,
    status: row.acceptedAt
      ? ("joined" as const)
      : row.withdrawnAt
        ? ("withdrawn" as const)
        : row.expiresAt.getTime() <= now
          ? ("expired" as const)
          : ("pending" as const),
  }));
}

/**
 * Communes near a commune or EPCI that are not yet in the network: the same EPCI, else the same
 * département; the most populated first.
 */
export async function neighbouringCommunes(
  collectivity: {
    code: string;
    kind: CollectivityKind;
    epciCode: string | null;
    departmentCode: string | null;
  },
  limit = 12,
): Promise<Array<{ code: string; name: string }>> {
  if (collectivity.kind !== "commune" && collectivity.kind !== "epci") return [];
  const epciCode = collectivity.kind === "epci" ? collectivity.code : collectivity.epciCode;
  if (epciCode) {
    const sameEpci = await communesNotInNetwork(
      eq(collectivities.epciCode, epciCode),
      collectivity.code,
      limit,
    );
    if (sameEpci.length > 0 || !collectivity.departmentCode) return sameEpci;
  }
  if (!collectivity.departmentCode) return [];
  return communesNotInNetwork(
    eq(collectivities.departmentCode, collectivity.departmentCode),
    collectivity.code,
    limit,
  );
}

function communesNotInNetwork(area: SQL, exceptCode: string, limit: number) {
  return db
    .select({ code: collectivities.code, name: collectivities.name })
    .from(collectivities)
    .where(
      and(
        area,
        eq(collectivities.kind, "commune"),
        ne(collectivities.code, exceptCode),
        notExists(
          db
            .select({ one: sql`1` })
            .from(memberships)
            .where(
              and(
                eq(memberships.collectivityCode, collectivities.code),
                eq(memberships.status, "approved"),
              ),
            ),
        ),
      ),
    )
    .orderBy(sql`${collectivities.population} desc nulls last`, collectivities.code)
    .limit(limit);
}
