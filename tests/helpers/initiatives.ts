import { insertInitiative, type InitiativeInput } from "../../app/models/initiative-writes.server";
import { db } from "../../db/client";
import { ensureIndexes, processOutboxBatch } from "../../search/indexer";
import "../../search/indexes";

let indexesReady = false;

/** Sends every pending outbox row to Meilisearch, waiting for its tasks. */
export async function drainOutbox() {
  if (!indexesReady) {
    await ensureIndexes();
    indexesReady = true;
  }
  while ((await processOutboxBatch()) > 0) {
    // until nothing is left
  }
}

let counter = 0;

/** An initiative written through the model, published unless told otherwise. */
export async function createTestInitiative(
  collectivityCode: string,
  overrides: Partial<InitiativeInput> = {},
) {
  counter += 1;
  const created = await db.transaction((tx) =>
    insertInitiative(tx, {
      title: `Initiative de test numéro ${counter}`,
      summary: "Un résumé suffisamment long pour passer la validation du modèle.",
      body: "Le texte de l'initiative.",
      themes: ["services-en-ligne"],
      tags: [],
      startYear: 2024,
      budgetBracket: null,
      links: [],
      status: "published",
      inspiredBy: null,
      contributors: [],
      ...overrides,
      collectivityCode,
      createdBy: null,
    }),
  );
  if (!created.ok) throw new Error(`createTestInitiative: ${JSON.stringify(created.fieldErrors)}`);
  return created.value;
}
