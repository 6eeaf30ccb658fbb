import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";

import { selfEvaluation } from "../../app/models/label-evaluation.server";
import { listResults } from "../../app/models/label-results.server";
import { db } from "../../db/client";
import { labelAnswers, labelApplications, users } from "../../db/schema";
import { demoAccounts } from "../../scripts/seed/demo-accounts";
import { demoLabel } from "../../scripts/seed/label";

// Seeding two campaigns through the models takes tens of seconds on a busy 2-core machine.
test("la démo du label publie deux palmarès et ouvre une campagne où Lavoncourt a un brouillon comparable", async () => {
  const { setConfig, parseConfig } = await import("../../app/config.server");
  setConfig(parseConfig(process.env));
  await demoAccounts(db);
  const summary = await demoLabel(db);
  expect(summary).toMatch(
    /résultats publiés sur deux campagnes, campagne \d{4} ouverte, brouillon de Lavoncourt/,
  );

  const { items } = await listResults({}, { limit: null });
  const codes = new Set(items.map((r) => r.code));
  for (const code of [
    "56260",
    "70299",
    "13056",
    "94033",
    "60057",
    "94018",
    "38382",
    "95313",
    "200041333",
  ]) {
    expect(codes, code).toContain(code);
  }
  expect(new Set(items.map((r) => r.category))).toEqual(
    new Set(["village", "ville", "territoire", "departement"]),
  );
  expect(new Set(items.map((r) => r.year)).size).toBe(2);

  const [draft] = await db
    .select({ id: labelApplications.id })
    .from(labelApplications)
    .where(
      and(eq(labelApplications.collectivityCode, "70299"), eq(labelApplications.status, "draft")),
    );
  expect(draft).toBeTruthy();
  const carried = await db
    .select({ toConfirm: labelAnswers.toConfirm })
    .from(labelAnswers)
    .where(eq(labelAnswers.applicationId, draft!.id));
  expect(carried.length).toBeGreaterThan(10);
  expect(carried.every((a) => a.toConfirm)).toBe(true);
  const [referent] = await db
    .select({ id: users.id, roles: users.roles })
    .from(users)
    .where(eq(users.email, "maire.lavoncourt@demo.territoires.fr"));
  const evaluation = (await selfEvaluation(referent!, draft!.id))!;
  expect(evaluation.comparison.shown).toBe(true);
}, 180_000);
