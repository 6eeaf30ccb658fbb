import { and, eq, gt, gte, inArray, lt, lte, or } from "drizzle-orm";

import { db } from "../../db/client";
import { labelApplications, labelCampaigns, memberships } from "../../db/schema";
import type { MailItem } from "../mail/compose.server";
import { formatDateTime } from "../utils/dates";
import type { DigestSource, SourceItems } from "./mail-digest-sources.server";

/**
 * The label's dates in the résumé ("Dates du label"): results published during the period, the
 * registration deadline of the next two weeks (for everybody), and the submission deadline of the
 * next two weeks for members whose collectivity's application is still a draft.
 */

const AHEAD_MS = 14 * 24 * 60 * 60 * 1000;

export const labelDates: DigestSource = {
  kind: "label",
  title: "Dates du label",
  morePath: "/label",
  // "Immediately" means the reminders of mail-label-reminders, sent at once: no sweep here.
  immediateByNotification: true,
  prepare: async (period, origin) => {
    const horizon = new Date(period.end.getTime() + AHEAD_MS);
    const campaigns = await db
      .select({
        id: labelCampaigns.id,
        year: labelCampaigns.year,
        title: labelCampaigns.title,
        registrationDeadline: labelCampaigns.registrationDeadline,
        submissionDeadline: labelCampaigns.submissionDeadline,
        publishedAt: labelCampaigns.publishedAt,
      })
      .from(labelCampaigns)
      .where(
        or(
          and(
            gte(labelCampaigns.publishedAt, period.start),
            lt(labelCampaigns.publishedAt, period.end),
          ),
          and(
            gt(labelCampaigns.registrationDeadline, period.end),
            lte(labelCampaigns.registrationDeadline, horizon),
          ),
          and(
            gt(labelCampaigns.submissionDeadline, period.end),
            lte(labelCampaigns.submissionDeadline, horizon),
          ),
        ),
      );
    const forEverybody: MailItem[] = [];
    for (const campaign of campaigns) {
      if (campaign.publishedAt >= period.start && campaign.publishedAt < period.end) {
        forEverybody.push({
          title: `${campaign.title} : les résultats sont publiés`,
          url: `${origin}/label/${campaign.year}`,
        });
      }
      if (campaign.registrationDeadline > period.end && campaign.registrationDeadline <= horizon) {
        forEverybody.push({
          title: `${campaign.title} : inscriptions jusqu'au ${formatDateTime(campaign.registrationDeadline)}`,
          url: `${origin}/label`,
        });
      }
    }
    const closing = campaigns.filter(
      (c) => c.submissionDeadline > period.end && c.submissionDeadline <= horizon,
    );
    return async (members) => {
      const drafts =
        closing.length === 0 || members.length === 0
          ? []
          : await db
              .select({
                userId: memberships.userId,
                applicationId: labelApplications.id,
                campaignId: labelApplications.campaignId,
              })
              .from(memberships)
              .innerJoin(
                labelApplications,
                eq(labelApplications.collectivityCode, memberships.collectivityCode),
              )
              .where(
                and(
                  inArray(
                    memberships.userId,
                    members.map((m) => m.id),
                  ),
                  eq(memberships.status, "approved"),
                  eq(labelApplications.status, "draft"),
                  inArray(
                    labelApplications.campaignId,
                    closing.map((c) => c.id),
                  ),
                ),
              );
      const result = new Map<string, SourceItems>();
      for (const member of members) {
        const own = drafts
          .filter((draft) => draft.userId === member.id)
          .map((draft) => {
            const campaign = closing.find((c) => c.id === draft.campaignId)!;
            return {
              title: `${campaign.title} : candidature à déposer avant le ${formatDateTime(campaign.submissionDeadline)}`,
              url: `${origin}/label/candidatures/${draft.applicationId}`,
            };
          });
        const items = [...own, ...forEverybody];
        result.set(member.id, { items, total: items.length });
      }
      return result;
    };
  },
};
