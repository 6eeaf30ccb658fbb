import { and, desc, eq, ilike, inArray, ne } from "drizzle-orm";

import { db } from "../../db/client";
import { collectivities, events, initiatives } from "../../db/schema";
import type { SearchKind } from "../../search/federated";
import type { AuthUser } from "../utils/auth.server";
import { formatDate } from "../utils/dates";
import { kindLabels } from "../utils/labels";
import { escapeLike, formatNumber } from "../utils/text";
import { searchCollectivities } from "./collectivities.server";
import { listEvents } from "./events.server";
import { matchTopicIds, readablePostsByIds, readableTopicsByIds, topicPath } from "./forums.server";
import { publishedCardsByIds } from "./initiatives.server";
import { matchProfileIds, visibleProfilesByIds } from "./member-profiles.server";

/**
 * What each kind of the site search needs from PostgreSQL: confirming that the viewer may see a
 * hit (and reading what it shows), and a plain match for when Meilisearch is away. A hit is never
 * shown unless `confirm` returns it: the index only proposes.
 *
 * Extension point: the yearly label adds its kind here (its index in `search/federated.ts`, and a
 * `confirm` that keeps only published results, as drafts are kept out below).
 */

export type SearchViewerUser = Pick<AuthUser, "id" | "name" | "roles"> | null;

/** A confirmed hit as PostgreSQL has it now; the index may add a marked title and snippet. */
export type Confirmed = { id: string; title: string; url: string; context: string; text: string };

type Source = {
  confirm: (ids: string[], viewer: SearchViewerUser) => Promise<Confirmed[]>;
  fallback: (q: string, viewer: SearchViewerUser, limit: number) => Promise<string[]>;
};

const contains = (q: string) => `%${escapeLike(q.trim())}%`;

export const searchSources: Record<SearchKind, Source> = {
  initiatives: {
    // Published only: drafts (and archived initiatives) never come out of a search.
    confirm: async (ids) =>
      (await publishedCardsByIds(ids)).map((card) => ({
        id: card.id,
        title: card.title,
        url: `/initiatives/${card.slug}`,
        context: card.collectivityName,
        text: card.summary,
      })),
    fallback: async (q, _viewer, limit) =>
      (
        await db
          .select({ id: initiatives.id })
          .from(initiatives)
          .where(and(eq(initiatives.status, "published"), ilike(initiatives.title, contains(q))))
          .orderBy(desc(initiatives.publishedAt))
          .limit(limit)
      ).map((row) => row.id),
  },
  topics: {
    confirm: async (ids, viewer) =>
      (await readableTopicsByIds(ids, viewer)).map((topic) => ({
        id: String(topic.id),
        title: topic.title,
        url: topicPath(topic.categorySlug, topic),
        context: `${topic.categoryTitle} — ${formatNumber(topic.postCount)} message${topic.postCount > 1 ? "s" : ""}`,
        text: "",
      })),
    fallback: (q, viewer) => matchTopicIds(q, viewer),
  },
  posts: {
    confirm: async (ids, viewer) =>
      (await readablePostsByIds(ids, viewer)).map((post) => ({
        id: String(post.id),
        title: post.topicTitle,
        url: post.path,
        context: `Réponse de ${post.authorName} le ${formatDate(post.createdAt)} — ${post.categoryTitle}`,
        text: post.body.slice(0, 300),
      })),
    // Replies are not read without the index: a body scan of every post would be too slow.
    fallback: async () => [],
  },
  events: {
    confirm: async (ids, viewer) => {
      if (ids.length === 0) return [];
      // Without `collectivityCode`, listEvents leaves drafts out for everyone, organisers too.
      const { items } = await listEvents({ ids, period: "all", pageSize: ids.length }, viewer);
      const byId = new Map(items.map((event) => [event.id, event]));
      return ids.flatMap((id) => {
        const event = byId.get(id);
        if (!event) return [];
        const place = event.communeName ?? event.collectivityName;
        const cancelled = event.status === "cancelled" ? " — annulé" : "";
        return [
          {
            id,
            title: event.title,
            url: `/evenements/${event.slug}`,
            context: `${formatDate(event.startsAt, event.timeZone)} — ${place}${cancelled}`,
            text: event.venue,
          },
        ];
      });
    },
    fallback: async (q, _viewer, limit) =>
      (
        await db
          .select({ id: events.id })
          .from(events)
          .where(and(ne(events.status, "draft"), ilike(events.title, contains(q))))
          .orderBy(desc(events.startsAt))
          .limit(limit)
      ).map((row) => row.id),
  },
  collectivities: {
    confirm: async (codes) => {
      if (codes.length === 0) return [];
      const rows = await db
        .select({
          code: collectivities.code,
          name: collectivities.name,
          kind: collectivities.kind,
          departmentCode: collectivities.departmentCode,
          population: collectivities.population,
        })
        .from(collectivities)
        .where(inArray(collectivities.code, codes));
      const byCode = new Map(rows.map((row) => [row.code, row]));
      return codes.flatMap((code) => {
        const row = byCode.get(code);
        if (!row) return [];
        const details = [
          kindLabels[row.kind],
          row.departmentCode && row.kind !== "departement" ? `(${row.departmentCode})` : "",
          row.population ? `— ${formatNumber(row.population)} habitants` : "",
        ];
        return [
          {
            id: code,
            title: row.name,
            url: `/collectivites/${code}`,
            context: details.filter(Boolean).join(" "),
            text: "",
          },
        ];
      });
    },
    fallback: async (q, _viewer, limit) =>
      (await searchCollectivities({ q, pageSize: limit })).items.map((item) => item.code),
  },
  members: {
    confirm: async (ids, viewer) =>
      (await visibleProfilesByIds(ids, viewer)).map((profile) => ({
        id: profile.id,
        title: profile.name,
        url: `/membres/${profile.id}`,
        context: [profile.jobTitle, profile.collectivity?.name].filter(Boolean).join(" — "),
        text: "",
      })),
    fallback: (q, viewer, limit) => matchProfileIds(q, viewer, limit),
  },
};
