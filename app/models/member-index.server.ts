import type { Executor } from "../../db/client";
import { MEMBERS_INDEX } from "../../search/members";
import { enqueueIndexing } from "./search-outbox.server";

/**
 * Called in the transactions that change what a profile shows (name, function, membership).
 * A leaf module: accounts and collectivities call it without importing the profiles' reads.
 */
export async function afterMemberChange(tx: Executor, userId: string) {
  await enqueueIndexing(tx, MEMBERS_INDEX, userId);
}
