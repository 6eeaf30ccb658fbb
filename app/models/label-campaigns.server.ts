import { asc, desc, eq, gt, lte, sql } from "drizzle-orm";

import { db, type Executor } from "../../db/client";
import { labelCampaigns } from "../../db/schema";
import { randomId } from "../utils/ids.server";
import { failure, isUniqueViolation, type Result } from "./result.server";

/**
 * Yearly campaigns. A deadline is a minute, entered and shown in Europe/Paris, and counts whole:
 * "jusqu'au 15 octobre à 23 h 59" accepts a submission at 23:59:59.999 and refuses 00:00:00.
 */

export const campaignStatuses = ["upcoming", "open", "evaluation", "published"] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export type Campaign = typeof labelCampaigns.$inferSelect;

const MINUTE = 60_000;

/** Whether the minute of `deadline` is over at `now`. */
export function deadlinePassed(deadline: Date, now: Date) {
  return now.getTime() >= deadline.getTime() + MINUTE;
}

export function campaignStatus(campaign: Campaign, now = new Date()): CampaignStatus {
  if (now < campaign.opensAt) return "upcoming";
  if (!deadlinePassed(campaign.submissionDeadline, now)) return "open";
  if (now < campaign.publishedAt) return "evaluation";
  return "published";
}

export function registrationOpen(campaign: Campaign, now = new Date()) {
  return now >= campaign.opensAt && !deadlinePassed(campaign.registrationDeadline, now);
}

export function isPublished(campaign: Pick<Campaign, "publishedAt">, now = new Date()) {
  return campaign.publishedAt <= now;
}

export type CampaignInput = {
  year: number;
  title: string;
  opensAt: Date;
  registrationDeadline: Date;
  submissionDeadline: Date;
  juryStartsAt: Date;
  juryEndsAt: Date;
  publishedAt: Date;
  questionnaireId: string;
};

/** The dates must follow each other; each wrong one gets its own French message. */
function checkDates(input: CampaignInput) {
  const errors: Record<string, string[]> = {};
  const order: Array<[keyof CampaignInput, keyof CampaignInput, string]> = [
    ["opensAt", "registrationDeadline", "La fin des inscriptions doit suivre l'ouverture."],
    [
      "registrationDeadline",
      "submissionDeadline",
      "Le dépôt des dossiers ne peut pas finir avant la fin des inscriptions.",
    ],
    [
      "submissionDeadline",
      "juryStartsAt",
      "Le jury commence après la date limite de dépôt des dossiers.",
    ],
    ["juryStartsAt", "juryEndsAt", "La fin du jury doit suivre son début."],
    ["juryEndsAt", "publishedAt", "Les résultats sont publiés après la fin du jury."],
  ];
  for (const [before, after, message] of order) {
    if ((input[after] as Date) < (input[before] as Date)) errors[after] = [message];
  }
  return errors;
}

export async function createCampaign(input: CampaignInput): Promise<Result<{ id: string }>> {
  const errors = checkDates(input);
  if (Object.keys(errors).length > 0) return failure(400, errors);
  const id = randomId();
  try {
    await db.insert(labelCampaigns).values({ ...input, id });
  } catch (error) {
    if (isUniqueViolation(error)) {
      return failure(409, { year: [`La campagne ${input.year} existe déjà.`] });
    }
    throw error;
  }
  return { ok: true, value: { id } };
}

export async function updateCampaign(
  year: number,
  input: Omit<CampaignInput, "year">,
): Promise<Result<{ year: number }>> {
  const errors = checkDates({ ...input, year });
  if (Object.keys(errors).length > 0) return failure(400, errors);
  const updated = await db
    .update(labelCampaigns)
    .set(input)
    .where(eq(labelCampaigns.year, year))
    .returning({ year: labelCampaigns.year });
  if (updated.length === 0) return failure(404, {}, "Campagne introuvable.");
  return { ok: true, value: { year } };
}

/** Makes the results public now (the jury has finished early). */
export async function publishNow(year: number, now = new Date()) {
  const updated = await db
    .update(labelCampaigns)
    .set({
      publishedAt: now,
      juryEndsAt: sql`least(${labelCampaigns.juryEndsAt}, ${now.toISOString()}::timestamptz)`,
      juryStartsAt: sql`least(${labelCampaigns.juryStartsAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(eq(labelCampaigns.year, year))
    .returning({ year: labelCampaigns.year });
  return updated.length > 0;
}

export async function listCampaigns() {
  return db.select().from(labelCampaigns).orderBy(desc(labelCampaigns.year));
}

export async function getCampaign(year: number) {
  const [row] = await db.select().from(labelCampaigns).where(eq(labelCampaigns.year, year));
  return row ?? null;
}

/** `executor`: the caller's transaction, when it has one (never a second connection from it). */
export async function getCampaignById(id: string, executor: Executor = db) {
  const [row] = await executor.select().from(labelCampaigns).where(eq(labelCampaigns.id, id));
  return row ?? null;
}

/**
 * The campaign people work on now: the earliest one whose results are not out yet, else the
 * latest published one.
 */
export async function currentCampaign(now = new Date()) {
  const [pending] = await db
    .select()
    .from(labelCampaigns)
    .where(gt(labelCampaigns.publishedAt, now))
    .orderBy(asc(labelCampaigns.year))
    .limit(1);
  if (pending) return pending;
  const [latest] = await db
    .select()
    .from(labelCampaigns)
    .orderBy(desc(labelCampaigns.year))
    .limit(1);
  return latest ?? null;
}

/** Years whose results are public, newest first. */
export async function publishedYears(now = new Date()) {
  const rows = await db
    .select({ year: labelCampaigns.year })
    .from(labelCampaigns)
    .where(lte(labelCampaigns.publishedAt, now))
    .orderBy(desc(labelCampaigns.year));
  return rows.map((row) => row.year);
}
