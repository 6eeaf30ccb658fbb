import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { parseConfig, setConfig } from "../../app/config.server";
import { registerApplication, submitApplication } from "../../app/models/label-applications.server";
import { enqueueLabelReminders } from "../../app/models/mail-label-reminders.server";
import { saveMailPreferences } from "../../app/models/mail-preferences.server";
import { defaultFrequencies } from "../../app/utils/notification-preferences";
import { db } from "../../db/client";
import { labelApplications } from "../../db/schema";
import { answerQuestions, createTestCampaign } from "../helpers/label";
import { headerOf, linkIn, sendQueuedMail, startSmtpServer } from "../helpers/smtp";
import { createTestUser } from "../helpers/users";

const ORIGIN = "http://territoires.test";
const DAY = 86_400_000;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  setConfig(
    parseConfig({ ...process.env, SMTP_URL: smtp.url, APP_ORIGIN: ORIGIN, RATE_LIMITS: "false" }),
  );
});
afterAll(async () => smtp.stop());

const receivedBy = (address: string) =>
  smtp.received.filter((mail) => mail.envelopeTo.includes(address));

/** A campaign whose submission deadline is 40 days away, and a registered application. */
async function openApplication(year: number, collectivityCode: string) {
  const deadline = new Date(Date.now() + 40 * DAY);
  await createTestCampaign(year, { submissionDeadline: deadline });
  const referent = await createTestUser({ collectivityCode, referent: true });
  const registered = await registerApplication(referent, year, { carryOver: false });
  if (!registered.ok) throw new Error("inscription refusée");
  return { deadline, referent, applicationId: registered.value.id };
}

const before = (deadline: Date, days: number) => new Date(deadline.getTime() - days * DAY);

describe("rappels du label", () => {
  test("les membres reçoivent un rappel à 30, 7 et 1 jours de la date limite, chacun une fois", async () => {
    const { deadline, referent, applicationId } = await openApplication(2061, "13056");
    const colleague = await createTestUser({ collectivityCode: "13056" });
    const pending = await createTestUser({ collectivityCode: "13056", approved: false });
    const quiet = await createTestUser({ collectivityCode: "13056" });
    await saveMailPreferences(quiet.id, {
      frequencies: { ...defaultFrequencies, label: "never" },
      themes: [],
    });
    const outsider = await createTestUser({ collectivityCode: "56260" });

    expect(await enqueueLabelReminders(before(deadline, 31))).toBe(0);
    expect(await enqueueLabelReminders(before(deadline, 29))).toBe(2);
    expect(await enqueueLabelReminders(before(deadline, 28))).toBe(0);
    await sendQueuedMail();
    const [mail] = receivedBy(colleague.email);
    expect(mail?.parsed.subject).toBe("Label 2061 : plus que 29 jours pour déposer la candidature");
    expect(linkIn(mail!, `${ORIGIN}/label/candidatures/`)).toBe(
      `${ORIGIN}/label/candidatures/${applicationId}`,
    );
    expect(headerOf(mail!, "List-Unsubscribe")).toMatch(
      new RegExp(`^<${ORIGIN}/desabonnement/${colleague.id}\\.label\\.`),
    );
    expect(receivedBy(referent.email)).toHaveLength(1);
    for (const nobody of [pending, quiet, outsider]) expect(receivedBy(nobody.email)).toEqual([]);

    expect(await enqueueLabelReminders(before(deadline, 6))).toBe(2);
    expect(await enqueueLabelReminders(before(deadline, 5))).toBe(0);
    expect(await enqueueLabelReminders(new Date(deadline.getTime() - DAY / 2))).toBe(2);
    expect(await enqueueLabelReminders(new Date(deadline.getTime() - DAY / 4))).toBe(0);
    await sendQueuedMail();
    expect(receivedBy(colleague.email).map((m) => m.parsed.subject)).toEqual([
      "Label 2061 : plus que 29 jours pour déposer la candidature",
      "Label 2061 : plus que 6 jours pour déposer la candidature",
      "Label 2061 : dernier jour pour déposer la candidature",
    ]);
    // After the deadline, nothing more.
    expect(await enqueueLabelReminders(new Date(deadline.getTime() + 1000))).toBe(0);
  });

  test("une candidature déposée ne reçoit plus de rappel", async () => {
    const { deadline, referent, applicationId } = await openApplication(2062, "60057");
    await answerQuestions(referent, applicationId, { which: "all" });
    expect((await submitApplication(referent, applicationId)).ok).toBe(true);
    expect(await enqueueLabelReminders(before(deadline, 29))).toBe(0);
  });

  test("une candidature inscrite tard n'a pas les rappels d'une étape déjà commencée", async () => {
    const { deadline, referent, applicationId } = await openApplication(2063, "70299");
    // As if it had been registered 10 days before the deadline (the clock cannot be moved).
    await db
      .update(labelApplications)
      .set({ registeredAt: before(deadline, 10) })
      .where(eq(labelApplications.id, applicationId));
    expect(await enqueueLabelReminders(before(deadline, 9))).toBe(0);
    expect(await enqueueLabelReminders(before(deadline, 6))).toBe(1);
    await sendQueuedMail();
    expect(receivedBy(referent.email)).toHaveLength(1);
  });
});
