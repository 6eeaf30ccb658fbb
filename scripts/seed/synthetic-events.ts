import { normalise } from "../../app/models/event-input.server";
import { randomId } from "../../app/utils/ids.server";
import { slugify } from "../../app/utils/text";
import type { Database } from "../../db/client";
import { eventOrganisers, events } from "../../db/schema";
import { random, syntheticText } from "./synthetic-initiatives";

const THEMES = ["democratie-citoyennete", "administration-agents", "inclusion-mediation"];

/**
 * Large synthetic calendars for benchmarks: published one-day events, one a day from next week,
 * each hosted in its organiser's commune, deterministic for a given seed. Each event is checked
 * and completed (zone, area) by the model's own `normalise`, then the rows go straight into
 * PostgreSQL in batches, without outbox rows: a reindex builds the search index afterwards.
 */
export async function generateSyntheticEvents(
  db: Database,
  options: {
    count: number;
    organisers: Array<{ id: string; collectivityCode: string }>;
    capacity: number;
    seed?: number;
    onProgress?: (events: number) => void;
  },
) {
  const next = random(options.seed ?? 15);
  const batchSize = 500;
  for (let first = 0; first < options.count; first += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, options.count - first) }, (_, k) => {
      const i = first + k;
      const organiser = options.organisers[i % options.organisers.length]!;
      const day = new Date(Date.now() + (7 + i) * 86_400_000).toISOString().slice(0, 10);
      const title = `Assises du numérique n° ${i}`;
      return {
        organiser,
        slug: slugify(title, 70),
        input: {
          title,
          description: syntheticText(next, 80),
          themes: [THEMES[Math.floor(next() * THEMES.length)]!],
          format: "presentiel" as const,
          venue: "Salle du conseil, place de la mairie",
          communeCode: organiser.collectivityCode,
          startsAt: `${day}T09:30`,
          endsAt: `${day}T17:00`,
          registrationDeadline: null,
          onlineUrl: null,
          capacity: options.capacity,
          status: "published" as const,
          programme: [],
          initiativeIds: [],
        },
      };
    });
    const rows = await Promise.all(
      batch.map(async ({ organiser, slug, input }) => {
        const checked = await normalise(db, input, organiser.collectivityCode);
        if (!checked.ok) throw new Error(`événement ${slug} : ${JSON.stringify(checked)}`);
        return {
          ...checked.value.values,
          id: randomId(),
          slug,
          collectivityCode: organiser.collectivityCode,
          createdBy: organiser.id,
          publishedAt: new Date(),
        };
      }),
    );
    await db.insert(events).values(rows);
    await db
      .insert(eventOrganisers)
      .values(rows.map((row) => ({ eventId: row.id, userId: row.createdBy })));
    options.onProgress?.(first + rows.length);
  }
}
