import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { registerApplication } from "../../app/models/label-applications.server";
import type { DigestPeriod } from "../../app/models/mail-digest-sources.server";
import { runDigestBatch } from "../../app/models/mail-digests.server";
import { preferencesOf, saveMailPreferences } from "../../app/models/mail-preferences.server";
import { db } from "../../db/client";
import { mailOutbox } from "../../db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { createTestCampaign } from "../helpers/label";
import { createTestUser } from "../helpers/users";

/** Issue 12, item 4: the label's dates in the résumé, per the "Dates du label" preference. */

const DAY = 86_400_000;
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ RATE_LIMITS: "false" });
});
afterAll(async () => app?.close());

async function runPeriod(period: DigestPeriod) {
  let queued = 0;
  for (;;) {
    const batch = await runDigestBatch(period, 50);
    queued += batch.queued;
    if (batch.state === "done") return queued;
  }
}

async function digestOf(email: string) {
  const rows = await db
    .select({ text: mailOutbox.text })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.recipient, email), eq(mailOutbox.category, "digest:weekly")));
  return rows.map((row) => row.text);
}

describe("dates du label dans le résumé", () => {
  test("résultats publiés, inscriptions et dépôt qui approchent ; rien quand rien n'est nouveau ; « jamais » respecté", async () => {
    const now = Date.now();
    await createTestCampaign(2040, {
      opensAt: new Date(now - 200 * DAY),
      submissionDeadline: new Date(now - 100 * DAY),
      publishedAt: new Date(now - 2 * DAY),
    });
    await createTestCampaign(2041, {
      registrationDeadline: new Date(now + 5 * DAY),
      submissionDeadline: new Date(now + 10 * DAY),
    });
    const applicant = await createTestUser({ collectivityCode: "56260", referent: true });
    const registered = await registerApplication(applicant, 2041, { carryOver: false });
    expect(registered.ok).toBe(true);
    const elsewhere = await createTestUser({ collectivityCode: "60057" });
    const silent = await createTestUser({ collectivityCode: "56260" });
    const preferences = (await preferencesOf(db, [silent.id])).get(silent.id)!;
    await saveMailPreferences(silent.id, {
      ...preferences,
      frequencies: { ...preferences.frequencies, label: "never" },
    });

    const week = {
      frequency: "weekly" as const,
      key: "label-semaine",
      start: new Date(now - 7 * DAY),
      end: new Date(now),
    };
    expect(await runPeriod(week)).toBeGreaterThanOrEqual(2);
    const [mine] = await digestOf(applicant.email);
    expect(mine).toContain("DATES DU LABEL");
    expect(mine).toContain("Label 2040 : les résultats sont publiés");
    expect(mine).toContain("Label 2041 : inscriptions jusqu'au");
    expect(mine).toContain("Label 2041 : candidature à déposer avant le");
    const [theirs] = await digestOf(elsewhere.email);
    expect(theirs).toContain("Label 2040 : les résultats sont publiés");
    expect(theirs).not.toContain("candidature à déposer");
    expect(await digestOf(silent.email)).toHaveLength(0);

    // A week long past: nothing new, no résumé.
    const past = {
      frequency: "weekly" as const,
      key: "label-passe",
      start: new Date(now - 400 * DAY),
      end: new Date(now - 393 * DAY),
    };
    expect(await runPeriod(past)).toBe(0);
  });
});
