import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";

import { db } from "../../db/client";
import { users } from "../../db/schema";

/** Statements prepared on the transaction's own connection (a session's list in PostgreSQL). */
const preparedCount = async (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) =>
  (await tx.execute<{ n: number }>(sql`select count(*)::int as n from pg_prepared_statements`))[0]!
    .n;

// scripts/patches/drizzle-orm+*.patch: without it, each query is parsed and described in a round
// trip of its own before it runs, and PostgreSQL plans it again every time.
test("une requête de drizzle est préparée une fois par connexion, puis réutilisée", async () => {
  const added = await db.transaction(async (tx) => {
    const before = await preparedCount(tx);
    for (const email of ["personne@exemple.fr", "autre@exemple.fr", "encore@exemple.fr"])
      await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    return (await preparedCount(tx)) - before;
  });
  // The three selects share one statement; the counting query was prepared before the first count.
  expect(added).toBe(1);
});
