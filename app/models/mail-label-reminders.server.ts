import { and, eq, gt, lte } from "drizzle-orm";

import { db } from "../../db/client";
import {
  collectivities,
  labelApplications,
  labelCampaigns,
  memberships,
  users,
} from "../../db/schema";
import { labelReminderMail } from "../mail/templates.server";
import { enqueueMail } from "./mail-outbox.server";
import { mailLinks, preferencesOf, unsubscribeUrl } from "./mail-preferences.server";

/**
 * Reminders of the label's submission deadline: 30, 7 and 1 days before it, to the approved
 * members of each collectivity whose application is registered and not yet submitted. Each one
 * goes once (dedupe key: application, person, stage, deadline): a moved deadline is reminded
 * again. A stage that had begun before the application was registered is skipped, as an event
 * reminder skips those who register on the eve. Members who chose "never" for the label kind get
 * none; any other pace gets them at once, since a reminder in next week's résumé comes too late.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
export const LABEL_REMINDER_DAYS = [30, 7, 1] as const;

/** The tightest stage whose window holds `now`, or null when the deadline is further off. */
function stageOf(deadline: Date, now: Date) {
  const left = deadline.getTime() - now.getTime();
  const tightest = [...LABEL_REMINDER_DAYS].reverse().find((days) => left <= days * DAY_MS);
  return tightest ?? null;
}

export async function enqueueLabelReminders(now = new Date()) {
  const pending = await db
    .select({
      applicationId: labelApplications.id,
      registeredAt: labelApplications.registeredAt,
      collectivityCode: labelApplications.collectivityCode,
      collectivityName: collectivities.name,
      campaignTitle: labelCampaigns.title,
      deadline: labelCampaigns.submissionDeadline,
    })
    .from(labelApplications)
    .innerJoin(labelCampaigns, eq(labelCampaigns.id, labelApplications.campaignId))
    .innerJoin(collectivities, eq(collectivities.code, labelApplications.collectivityCode))
    .where(
      and(
        eq(labelApplications.status, "draft"),
        gt(labelCampaigns.submissionDeadline, now),
        lte(
          labelCampaigns.submissionDeadline,
          new Date(now.getTime() + LABEL_REMINDER_DAYS[0] * DAY_MS),
        ),
      ),
    );
  const links = mailLinks();
  let queued = 0;
  for (const application of pending) {
    const stage = stageOf(application.deadline, now);
    if (stage === null) continue;
    const stageStart = application.deadline.getTime() - stage * DAY_MS;
    if (application.registeredAt.getTime() > stageStart) continue;
    const members = await db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.collectivityCode, application.collectivityCode),
          eq(memberships.status, "approved"),
        ),
      );
    const preferences = await preferencesOf(
      db,
      members.map((member) => member.id),
    );
    const recipients = members.filter(
      (member) => preferences.get(member.id)?.frequencies.label !== "never",
    );
    const mails = await Promise.all(
      recipients.map(async (recipient) =>
        labelReminderMail({
          recipient,
          application: { ...application, id: application.applicationId },
          stage,
          daysLeft: Math.ceil((application.deadline.getTime() - now.getTime()) / DAY_MS),
          links,
          unsubscribeUrl: await unsubscribeUrl(recipient.id, "label"),
        }),
      ),
    );
    queued += await enqueueMail(db, mails);
  }
  return queued;
}
