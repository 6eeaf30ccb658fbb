import { count } from "drizzle-orm";
import { expect, test } from "vitest";

import { db } from "../../db/client";
import { forumPosts, forumTopics } from "../../db/schema";
import { demoAccounts } from "../../scripts/seed/demo-accounts";
import { demoForums } from "../../scripts/seed/forums";

test("le contenu de démonstration des forums se charge avec les comptes de démonstration", async () => {
  const { setConfig, parseConfig } = await import("../../app/config.server");
  setConfig(parseConfig(process.env));
  await demoAccounts(db);
  const summary = await demoForums(db);
  expect(summary).toMatch(/^4 sujets et 8 messages$/);
  const [topics] = await db.select({ total: count() }).from(forumTopics);
  const [posts] = await db.select({ total: count() }).from(forumPosts);
  expect(topics?.total).toBe(4);
  expect(posts?.total).toBe(8);
});
