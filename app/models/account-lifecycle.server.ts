import { eq } from "drizzle-orm";

import { db } from "../../db/client";
import {
  apiTokens,
  eventCalendarTokens,
  eventOrganisers,
  events,
  forumFollows,
  forumPostRevisions,
  forumReads,
  forumReports,
  forumTopics,
  initiativeAdoptions,
  memberships,
  sessions,
  users,
} from "../../db/schema";
import { invalidateUserSessions } from "../utils/auth.server";
import { pageTags } from "../utils/page-cache.server";
import { getProfile } from "./accounts.server";
import { pagesChanged } from "./after-commit.server";
import { alertsOfAccount } from "./alerts.server";
import { councilTopicsOfAccount } from "./council-topics.server";
import { councilBallotsOfAccount } from "./council-votes.server";
import { eventRegistrationsOfAccount, releaseRegistrationsOf } from "./event-registrations.server";
import { eventSeriesOfAccount } from "./event-series.server";
import { anonymiseForumAuthor, forumPostsOfAccount } from "./forum-posts.server";
import { pageVersionsOfAccount } from "./groups-page.server";
import { workingGroupsOfAccount } from "./groups.server";
import {
  forgetInitiativeContributor,
  initiativesOfAccount,
} from "./initiative-contributors.server";
import {
  forgetLabelCredits,
  labelActsOfAccount,
  labelCreditsOfAccount,
} from "./label-applications.server";
import { juryWorkOfAccount } from "./label-jury.server";
import { mailOfAccount } from "./mail-preferences.server";
import { memberMessagesOfAccount } from "./member-messages.server";
import { forgetMemberProfile, memberProfileOfAccount } from "./member-profiles.server";
import { notificationsOfAccount } from "./notifications.server";

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
    // Label: credits naming the person go; answers and applications keep no link (set null);
    // jury evaluations, conflicts and assignments are deleted with the account (cascade).
    await forgetLabelCredits(tx, userId);
    // Alerts, received messages and the profile cascade with the row; the index forgets it.
    await forgetMemberProfile(tx, userId);
    // Working groups: memberships and forum grants cascade; page versions stay the group's
    // ("ancien membre"), and a coordinator's seat falls empty for an admin to fill (set null).
    await tx.delete(users).where(eq(users.id, userId));
    return released;
  });
  await pagesChanged([pageTags.member(userId), pageTags.network, ...events.map(pageTags.event)]);
}

/**
 * Every column of the schema that points at a person (a foreign key to users.id), with the
 * export section that shows its rows, or the reason it is not exported. A test reads the schema
 * and fails on any such column missing here, and checks that each section holds every row.
 */
export const personalDataColumns: Record<string, { section: string } | { notExported: string }> = {
  "sessions.user_id": { section: "sessions" },
  "memberships.user_id": { section: "memberships" },
  "memberships.decided_by": { notExported: "décisions sur l'adhésion d'autres personnes" },
  "api_tokens.user_id": { section: "apiTokens" },
  "initiatives.created_by": { section: "initiatives.created" },
  "initiative_contributors.user_id": { section: "initiatives.credited" },
  "initiative_adoptions.user_id": { section: "initiatives.adoptions" },
  "events.created_by": { section: "events.created" },
  "event_organisers.user_id": { section: "events.organised" },
  "event_registrations.user_id": { section: "eventRegistrations" },
  "event_calendar_tokens.user_id": { section: "events.calendarAddress" },
  "event_series.created_by": { section: "events.seriesCreated" },
  "forum_topics.author_id": { section: "forum.topics" },
  "forum_posts.author_id": { section: "forumPosts" },
  "forum_posts.deleted_by": {
    notExported: "modération des messages d'autres personnes (les siens sont dans forumPosts)",
  },
  "forum_posts.hidden_by": { notExported: "modération des messages d'autres personnes" },
  "forum_post_revisions.editor_id": { section: "forum.revisions" },
  "forum_reads.user_id": { section: "forum.reads" },
  "forum_follows.user_id": { section: "forum.follows" },
  "forum_reports.reporter_id": { section: "forum.reports" },
  "forum_reports.decided_by": { notExported: "décisions sur les signalements d'autres personnes" },
  "notifications.user_id": { section: "notifications" },
  "notifications.actor_id": { notExported: "notifications reçues par d'autres personnes" },
  "notification_preferences.user_id": { section: "mail.preferences" },
  "mail_outbox.user_id": { section: "mail.messages" },
  "password_reset_tokens.user_id": {
    notExported:
      "lien de réinitialisation en cours, secret et valable une heure (supprimé avec le compte)",
  },
  "email_tokens.user_id": {
    notExported:
      "liens de confirmation ou d'annulation d'adresse en cours, secrets (supprimés avec le compte)",
  },
  "invitations.invited_by": {
    notExported: "invitations envoyées : l'adresse et le message concernent d'autres personnes",
  },
  "invitations.accepted_by": {
    notExported: "l'invitation suivie à l'inscription, visible de la collectivité invitante",
  },
  "label_credits.user_id": { section: "labelCredits" },
  "label_applications.registered_by": { section: "labelActs.registered" },
  "label_applications.submitted_by": { section: "labelActs.submitted" },
  "label_applications.validated_by": {
    notExported: "validation des résultats d'autres collectivités (administration)",
  },
  "label_answers.updated_by": { section: "labelActs.answers" },
  "label_jury_assignments.jury_user_id": { section: "labelJury.assignments" },
  "label_jury_assignments.assigned_by": { notExported: "affectations d'autres membres du jury" },
  "label_jury_reviews.jury_user_id": { section: "labelJury.reviews" },
  "label_jury_conflicts.jury_user_id": { section: "labelJury.conflicts" },
  "forum_topic_grants.user_id": {
    notExported: "accès à un sujet de délibération, qui suit labelJury.assignments",
  },
  "member_profiles.user_id": { section: "publicProfile" },
  "member_messages.sender_id": { section: "messages.sent" },
  "member_messages.recipient_id": { section: "messages.received" },
  "alerts.user_id": { section: "alerts.followed" },
  "alert_matches.user_id": { section: "alerts.matches" },
  "alert_days.user_id": { section: "alerts.days" },
  "council_topics.proposed_by": { section: "council.topics" },
  "council_ballots.cast_by": { section: "council.ballots" },
  "working_groups.coordinator_id": { section: "council.workingGroups.coordinated" },
  "working_group_members.user_id": { section: "council.workingGroups.joined" },
  "working_group_page_versions.author_id": { section: "council.workingGroupPages" },
  "forum_category_grants.user_id": {
    notExported: "accès au forum d'un groupe de travail, qui suit council.workingGroups.joined",
  },
};

/** Everything the platform holds about a person, for the RGPD export. */
export async function exportAccountData(userId: string) {
  const [profile, accountRows, initiatives, eventRegistrations, events, forumPosts, forum] =
    await Promise.all([
      getProfile(userId),
      accountData(userId),
      initiativesOfAccount(userId),
      eventRegistrationsOfAccount(userId),
      eventsOfAccount(userId),
      forumPostsOfAccount(userId),
      forumActivityOf(userId),
    ]);
  const [labelCredits, labelJury, labelActs] = await Promise.all([
    labelCreditsOfAccount(userId),
    juryWorkOfAccount(userId),
    labelActsOfAccount(userId),
  ]);
  const [publicProfile, alerts, messages] = await Promise.all([
    memberProfileOfAccount(userId),
    alertsOfAccount(userId),
    memberMessagesOfAccount(userId),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    profile,
    ...accountRows,
    initiatives: { ...initiatives, adoptions: await adoptionsOf(userId) },
    eventRegistrations,
    events,
    forumPosts,
    forum,
    notifications: await notificationsOfAccount(userId),
    mail: await mailOfAccount(userId),
    labelCredits,
    labelJury,
    labelActs,
    publicProfile,
    alerts,
    messages,
    council: {
      topics: await councilTopicsOfAccount(userId),
      ballots: await councilBallotsOfAccount(userId),
      workingGroups: await workingGroupsOfAccount(userId),
      workingGroupPages: await pageVersionsOfAccount(userId),
    },
  };
}

async function accountData(userId: string) {
  const [sessionRows, membershipRows, tokenRows] = await Promise.all([
    // Expiry only: a session id is a secret, even from its owner's export file.
    db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.userId, userId)),
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
    db
      .select({
        name: apiTokens.name,
        prefix: apiTokens.prefix,
        createdAt: apiTokens.createdAt,
        lastUsedAt: apiTokens.lastUsedAt,
        revokedAt: apiTokens.revokedAt,
      })
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId)),
  ]);
  return { sessions: sessionRows, memberships: membershipRows, apiTokens: tokenRows };
}

function adoptionsOf(userId: string) {
  return db
    .select({
      initiativeId: initiativeAdoptions.initiativeId,
      collectivityCode: initiativeAdoptions.collectivityCode,
      note: initiativeAdoptions.note,
      createdAt: initiativeAdoptions.createdAt,
    })
    .from(initiativeAdoptions)
    .where(eq(initiativeAdoptions.userId, userId));
}

async function eventsOfAccount(userId: string) {
  const [created, organised, calendarAddress] = await Promise.all([
    db
      .select({
        id: events.id,
        slug: events.slug,
        title: events.title,
        createdAt: events.createdAt,
      })
      .from(events)
      .where(eq(events.createdBy, userId)),
    db
      .select({ eventId: eventOrganisers.eventId, addedAt: eventOrganisers.addedAt })
      .from(eventOrganisers)
      .where(eq(eventOrganisers.userId, userId)),
    // When it was made, not the secret address itself (only its hash is kept).
    db
      .select({ createdAt: eventCalendarTokens.createdAt })
      .from(eventCalendarTokens)
      .where(eq(eventCalendarTokens.userId, userId)),
  ]);
  return { created, organised, calendarAddress, seriesCreated: await eventSeriesOfAccount(userId) };
}

async function forumActivityOf(userId: string) {
  const [topics, revisions, reads, follows, reports] = await Promise.all([
    db
      .select({ id: forumTopics.id, title: forumTopics.title, createdAt: forumTopics.createdAt })
      .from(forumTopics)
      .where(eq(forumTopics.authorId, userId)),
    db
      .select({
        postId: forumPostRevisions.postId,
        body: forumPostRevisions.body,
        replacedAt: forumPostRevisions.replacedAt,
      })
      .from(forumPostRevisions)
      .where(eq(forumPostRevisions.editorId, userId)),
    db
      .select({ topicId: forumReads.topicId, lastReadPostId: forumReads.lastReadPostId })
      .from(forumReads)
      .where(eq(forumReads.userId, userId)),
    db
      .select({
        topicId: forumFollows.topicId,
        categoryId: forumFollows.categoryId,
        level: forumFollows.level,
      })
      .from(forumFollows)
      .where(eq(forumFollows.userId, userId)),
    db
      .select({
        postId: forumReports.postId,
        reason: forumReports.reason,
        status: forumReports.status,
        createdAt: forumReports.createdAt,
      })
      .from(forumReports)
      .where(eq(forumReports.reporterId, userId)),
  ]);
  return { topics, revisions, reads, follows, reports };
}
