import { inArray, sql } from "drizzle-orm";

import { renderMarkdown } from "../../app/utils/markdown.server";
import { slugify } from "../../app/utils/text";
import type { Database } from "../../db/client";
import { forumCategories, forumPosts, forumTopics } from "../../db/schema";
import { random, syntheticText } from "./synthetic-initiatives";

/**
 * Large synthetic forums for benchmarks: topics of `postsPerTopic` posts of about 100 French
 * words, written in turn by the given members, deterministic for a given seed. Rows go straight
 * into PostgreSQL with what the models keep beside them (post count, last post and activity,
 * change numbers, rendered HTML), but without outbox rows: a reindex builds the search indexes
 * afterwards, as for the synthetic initiatives.
 */
export async function generateSyntheticForums(
  db: Database,
  options: {
    topics: number;
    postsPerTopic: number;
    authorIds: string[];
    categorySlugs: string[];
    seed?: number;
    onProgress?: (posts: number) => void;
  },
): Promise<number[]> {
  const next = random(options.seed ?? 14);
  const text = (words: number) => syntheticText(next, words);
  const categories = await db
    .select({ id: forumCategories.id, slug: forumCategories.slug })
    .from(forumCategories)
    .where(inArray(forumCategories.slug, options.categorySlugs));
  const categoryId = new Map(categories.map((category) => [category.slug, category.id]));
  const author = (i: number) => options.authorIds[i % options.authorIds.length]!;
  const perTopic = options.postsPerTopic;
  // Topics a minute apart and their posts a second apart, all in the past: what the measure
  // writes afterwards is the latest activity.
  const start = Date.now() - (options.topics + 1) * 60_000;
  const topicIds: number[] = [];
  // 100 topics per statement keeps each insert under PostgreSQL's 65,535 parameters.
  const batchSize = 100;
  for (let first = 0; first < options.topics; first += batchSize) {
    const count = Math.min(batchSize, options.topics - first);
    const batch = Array.from({ length: count }, (_, k) => {
      const i = first + k;
      const slug = options.categorySlugs[i % options.categorySlugs.length]!;
      const title = `Retour d'expérience n° ${i} sur ${text(8).split(" ").slice(4, 8).join(" ")}`;
      const bodies = Array.from({ length: perTopic }, () => text(100));
      const createdAt = (p: number) => new Date(start + i * 60_000 + p * 1000);
      return { i, slug, title, bodies, createdAt };
    });
    const inserted = await db
      .insert(forumTopics)
      .values(
        batch.map(({ i, slug, title, createdAt }) => {
          const id = categoryId.get(slug);
          if (id === undefined) throw new Error(`catégorie de forum absente : ${slug}`);
          return {
            categoryId: id,
            title,
            slug: slugify(title, 60) || "sujet",
            authorId: author(i),
            postCount: perTopic,
            lastChangeId: perTopic,
            lastActivityAt: createdAt(perTopic - 1),
            createdAt: createdAt(0),
          };
        }),
      )
      .returning({ id: forumTopics.id });
    const ids = inserted.map((row) => row.id);
    // In topic order, then post order: ids follow each topic's change numbers, as the models
    // write them, and the first post of a topic (its own text) has the smallest id.
    await db.insert(forumPosts).values(
      batch.flatMap(({ i, bodies, createdAt }, k) =>
        bodies.map((body, p) => ({
          topicId: ids[k]!,
          authorId: author(i + p),
          body,
          html: renderMarkdown(body),
          createdAt: createdAt(p),
          changeId: p + 1,
        })),
      ),
    );
    await db
      .update(forumTopics)
      .set({
        lastPostId: sql`(select max(${forumPosts.id}) from ${forumPosts} where ${forumPosts.topicId} = ${forumTopics.id})`,
      })
      .where(inArray(forumTopics.id, ids));
    topicIds.push(...ids);
    options.onProgress?.((first + count) * perTopic);
  }
  return topicIds;
}
