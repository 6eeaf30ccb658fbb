import { and, eq, isNull, ne, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import {
  apiTokens,
  collectivities,
  memberships,
  users,
  type ProfileKind,
  type Role,
} from "../../db/schema";
import { invalidateUserSessions, revokeAllApiTokens } from "../utils/auth.server";
import { randomId } from "../utils/ids.server";
import { pageTags } from "../utils/page-cache.server";
import { hashPassword, verifyPassword } from "../utils/password.server";
import { escapeLike } from "../utils/text";
import { pagesChanged } from "./after-commit.server";
import { sendAddressVerification, sendEmailChangeConfirmation } from "./email-tokens.server";
import { afterMemberChange } from "./member-index.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

type NewAccount = {
  email: string;
  password: string;
  name: string;
  jobTitle: string;
  profileKind: ProfileKind;
  collectivityCode: string;
  roles?: Role[];
  /** Bulk onboarding by an admin creates an approved membership. */
  approvedBy?: string;
  /** Self sign-up: the account publishes nothing until the mailed link is followed. */
  awaitsVerification?: boolean;
};

export async function emailTaken(tx: Executor, email: string, exceptUserId?: string) {
  const [existing] = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(sql`lower(${users.email})`, email.toLowerCase()),
        exceptUserId ? ne(users.id, exceptUserId) : undefined,
      ),
    );
  return Boolean(existing);
}

/** Creates an account and its (pending, unless approved by an admin) membership. */
export async function createAccount(input: NewAccount): Promise<Result<{ userId: string }>> {
  const [collectivity] = await db
    .select({ code: collectivities.code })
    .from(collectivities)
    .where(eq(collectivities.code, input.collectivityCode));
  if (!collectivity) {
    return failure(422, { collectivity: ["Cette collectivité est introuvable dans l'annuaire."] });
  }
  const passwordHash = await hashPassword(input.password);
  const userId = randomId();
  try {
    const created = await db.transaction(async (tx) => {
      if (await emailTaken(tx, input.email)) {
        return failure(409, { email: ["Un compte existe déjà avec cette adresse électronique."] });
      }
      await tx.insert(users).values({
        id: userId,
        email: input.email,
        name: input.name,
        passwordHash,
        jobTitle: input.jobTitle,
        profileKind: input.profileKind,
        roles: [...new Set<Role>(["member", ...(input.roles ?? [])])],
        emailVerifiedAt: input.awaitsVerification ? null : new Date(),
      });
      if (input.awaitsVerification) {
        await sendAddressVerification(tx, { id: userId, email: input.email, name: input.name });
      }
      await tx.insert(memberships).values({
        id: randomId(),
        userId,
        collectivityCode: input.collectivityCode,
        status: input.approvedBy ? "approved" : "pending",
        decidedAt: input.approvedBy ? new Date() : null,
        decidedBy: input.approvedBy ?? null,
      });
      // Approved at once (an administrator's API call, the demo): the profile is searchable.
      if (input.approvedBy) await afterMemberChange(tx, userId);
      return { ok: true as const, value: { userId } };
    });
    // Pending members are not counted; an approved one counts in the network's figures.
    if (created.ok && input.approvedBy) await pagesChanged([pageTags.network]);
    return created;
  } catch (error) {
    // Two sign-ups racing for one address: the unique index decides.
    if (isUniqueViolation(error)) {
      return failure(409, { email: ["Un compte existe déjà avec cette adresse électronique."] });
    }
    throw error;
  }
}

/**
 * Checks an email and password. Unknown emails run argon2 on a dummy hash so that both failures
 * look and take the same.
 */
export async function verifyCredentials(email: string, password: string) {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  const valid = await verifyPassword(user?.passwordHash ?? null, password);
  return valid && user ? { userId: user.id } : null;
}

export async function touchLastSeen(userId: string) {
  await db.update(users).set({ lastSeenAt: new Date() }).where(eq(users.id, userId));
}

export type Profile = {
  id: string;
  email: string;
  name: string;
  jobTitle: string;
  profileKind: ProfileKind;
  roles: Role[];
  createdAt: Date;
  membership: {
    collectivityCode: string;
    collectivityName: string;
    status: "pending" | "approved" | "former";
    isReferent: boolean;
  } | null;
};

export async function getProfile(userId: string): Promise<Profile | null> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      jobTitle: users.jobTitle,
      profileKind: users.profileKind,
      roles: users.roles,
      createdAt: users.createdAt,
      collectivityCode: memberships.collectivityCode,
      collectivityName: collectivities.name,
      status: memberships.status,
      isReferent: memberships.isReferent,
    })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), ne(memberships.status, "former")))
    .leftJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
    .where(eq(users.id, userId));
  if (!row) return null;
  const { collectivityCode, collectivityName, status, isReferent, ...user } = row;
  return {
    ...user,
    membership:
      collectivityCode && collectivityName && status
        ? { collectivityCode, collectivityName, status, isReferent: isReferent ?? false }
        : null,
  };
}

/**
 * After the password or the email changed: every other session ends (their sockets close) and,
 * unless the person chose to keep them, every API token is revoked — a thief who knew the old
 * credentials keeps nothing.
 */
export async function endOtherAccess(userId: string, keep: AccessKept) {
  await invalidateUserSessions(userId, "password", keep.sessionId);
  if (!keep.apiTokens) await revokeAllApiTokens(userId);
}

export type AccessKept = { sessionId: string | undefined; apiTokens: boolean };

const WRONG_PASSWORD = "Le mot de passe actuel est incorrect.";

/**
 * Updates the profile. A new email is the key to the account: it takes the current password,
 * and only takes effect once the link mailed to the new address is followed (see
 * account-emails.server.ts); the other fields are saved at once.
 */
export async function updateProfile(
  userId: string,
  input: { name: string; email: string; jobTitle: string; profileKind: ProfileKind },
  confirmation: { currentPassword: string | undefined; keepApiTokens: boolean },
): Promise<Result<{ emailChangePending: boolean }>> {
  const [current] = await db
    .select({ email: users.email, hash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!current) return failure(404, {});
  const emailChanged = current.email.toLowerCase() !== input.email.toLowerCase();
  if (emailChanged) {
    if (!confirmation.currentPassword) {
      return failure(400, {
        currentPassword: ["Saisissez votre mot de passe actuel pour changer d'adresse."],
      });
    }
    if (!(await verifyPassword(current.hash, confirmation.currentPassword))) {
      return failure(400, { currentPassword: [WRONG_PASSWORD] });
    }
  }
  const { email, ...fields } = input;
  const saved = await db.transaction(async (tx) => {
    if (emailChanged && (await emailTaken(tx, email, userId))) {
      return failure(409, { email: ["Un autre compte utilise déjà cette adresse électronique."] });
    }
    await tx
      .update(users)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(users.id, userId));
    await afterMemberChange(tx, userId);
    if (emailChanged) {
      await sendEmailChangeConfirmation(
        tx,
        { id: userId, email: current.email, name: fields.name },
        email,
        confirmation.keepApiTokens,
      );
    }
    return { ok: true as const, value: { emailChangePending: emailChanged } };
  });
  if (saved.ok) await pagesChanged([pageTags.member(userId)]);
  return saved;
}

/** Changes the password after checking the current one, and ends every other access. */
export async function changePassword(
  userId: string,
  currentPassword: string,
  newPassword: string,
  keep: AccessKept,
): Promise<Result<null>> {
  const [user] = await db
    .select({ hash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.hash, currentPassword))) {
    return failure(400, { currentPassword: [WRONG_PASSWORD] });
  }
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date() })
    .where(eq(users.id, userId));
  await endOtherAccess(userId, keep);
  return { ok: true, value: null };
}

/**
 * Replaces a user's roles. Any change ends their sessions: a right taken away stops at once, and
 * a right granted is only ever used from a session opened after it (no session that an attacker
 * may have planted or read before gains privileges). Returns false for an unknown account.
 */
export async function setRoles(userId: string, roles: Role[]) {
  const unique = [...new Set<Role>(["member", ...roles])];
  const [before] = await db.select({ roles: users.roles }).from(users).where(eq(users.id, userId));
  if (!before) return false;
  await db.update(users).set({ roles: unique, updatedAt: new Date() }).where(eq(users.id, userId));
  const same =
    before.roles.length === unique.length && unique.every((r) => before.roles.includes(r));
  if (!same) await invalidateUserSessions(userId, "revoked");
  return true;
}

/** `npm run admin:create`: creates the admin, or resets the password and name of an existing one. */
export async function upsertAdmin(input: { email: string; password: string; name: string }) {
  const passwordHash = await hashPassword(input.password);
  const [existing] = await db
    .select({ id: users.id, roles: users.roles })
    .from(users)
    .where(eq(sql`lower(${users.email})`, input.email.toLowerCase()));
  if (existing) {
    const roles = [...new Set<Role>([...existing.roles, "member", "admin"])];
    await db
      .update(users)
      .set({ name: input.name, passwordHash, roles, passwordChangedAt: new Date() })
      .where(eq(users.id, existing.id));
    await invalidateUserSessions(existing.id, "password");
    await pagesChanged([pageTags.member(existing.id)]);
    return { userId: existing.id, created: false };
  }
  const userId = randomId();
  await db.insert(users).values({
    id: userId,
    email: input.email,
    name: input.name,
    passwordHash,
    jobTitle: "Administration du réseau",
    profileKind: "partenaire",
    roles: ["member", "admin"],
  });
  return { userId, created: true };
}

export async function findUserIdByEmail(email: string) {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return user?.id ?? null;
}

export async function listApiTokens(userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(apiTokens.createdAt);
}

export async function verifyCredentialsOfUser(userId: string, password: string) {
  const [user] = await db
    .select({ hash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  return verifyPassword(user?.hash ?? null, password);
}

/** Admin directory of accounts, by name or email. */
export async function searchAccounts(query: string, limit = 50) {
  const term = `%${escapeLike(query.trim().toLowerCase())}%`;
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      roles: users.roles,
      collectivityCode: memberships.collectivityCode,
      collectivityName: collectivities.name,
      status: memberships.status,
    })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), ne(memberships.status, "former")))
    .leftJoin(collectivities, eq(collectivities.code, memberships.collectivityCode))
    .where(
      query.trim()
        ? sql`lower(${users.name}) like ${term} or lower(${users.email}) like ${term}`
        : undefined,
    )
    .orderBy(users.name)
    .limit(limit);
}
