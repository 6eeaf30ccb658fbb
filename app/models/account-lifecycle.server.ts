import { eq } from "drizzle-orm";

import { db } from "../../db/client";
import { memberships, users } from "../../db/schema";
import { invalidateUserSessions } from "../utils/auth.server";
import { pageTags } from "../utils/page-cache.server";
import { getProfile, listApiTokens } from "./accounts.server";
import { pagesChanged } from "./after-commit.server";
import { eventRegistrationsOfAccount, releaseRegistrationsOf } from "./event-registrations.server";
import { anonymiseForumAuthor, forumPostsOfAccount } from "./forum-posts.server";
import {
  forgetInitiativeContributor,
  initiativesOfAccount,
} from "./initiative-contributors.server";

/**
 * What happens to a person's data when the account goes or is exported (RGPD), domain by domain,
 * in one place: a domain that holds personal data adds its step here.
 */

/**
 * Deletes an account. Sessions, tokens and memberships go with it (foreign keys cascade); each
 * domain first anonymises what must stay, such as forum posts ("ancien membre").
 */
export async function deleteAccount(userId: string) {
  await invalidateUserSessions(userId, "deleted");
  const events = await db.transaction(async (tx) => {
    await forgetInitiativeContributor(tx, userId);
    const released = await releaseRegistrationsOf(tx, userId);
    await anonymiseForumAuthor(tx, userId);
    await tx.delete(users).where(eq(users.id, userId));
    return released;
  });
  await pagesChanged([pageTags.member(userId), pageTags.network, ...events.map(pageTags.event)]);
}

/** Everything the platform holds about a person, for the RGPD export. */
export async function exportAccountData(userId: string) {
  const [profile, tokens, history, initiatives, eventRegistrations, forumPosts] = await Promise.all(
    [
      getProfile(userId),
      listApiTokens(userId),
      db
        .select({
          collectivityCode: memberships.collectivityCode,
          status: memberships.status,
          isReferent: memberships.isReferent,
          createdAt: memberships.createdAt,
          decidedAt: memberships.decidedAt,
        })
        .from(memberships)
        .where(eq(memberships.userId, userId)),
      initiativesOfAccount(userId),
      eventRegistrationsOfAccount(userId),
      forumPostsOfAccount(userId),
    ],
  );
  return {
    exportedAt: new Date().toISOString(),
    profile,
    memberships: history,
    apiTokens: tokens,
    initiatives,
    eventRegistrations,
    forumPosts,
  };
}
