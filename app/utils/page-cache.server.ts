import { randomBytes } from "node:crypto";

import type { AppLoadContext } from "@remix-run/server-runtime";

import { sqlClient } from "../../db/client";
import { singleton } from "./singleton.server";

/**
 * The anonymous page cache: what a page declares, what a write invalidates, and the per-instance
 * store. Each app instance keeps its own store (in memory, bounded in bytes, least recently used
 * first out); a write drops the pages of its tags at once on every instance of this process and,
 * through PostgreSQL NOTIFY on {@link PAGE_CACHE_CHANNEL}, on every other instance. The HTTP side
 * (which requests are served from it, what is stored) is `page-cache-http.server.ts`.
 */

export const PAGE_CACHE_CHANNEL = "page_cache";

/** Without an expiry of its own, a page is rendered again after an hour at most. */
export const DEFAULT_MAX_AGE_SECONDS = 3600;

// "topic:12", "category:vie-du-reseau", "initiatives", "home": a word, then an optional key.
const TAG_PATTERN = /^[a-z][a-z-]*(?::[A-Za-z0-9_.-]{1,80})?$/;

/** What the loaders of a page said about it; created per request by the HTTP side. */
export type PageDeclaration = { tags: string[]; maxAgeSeconds?: number };

/** Carried by every kept page: invalidating it drops them all (after the directory import). */
export const SITE_TAG = "site";

/**
 * One vocabulary for the loaders that declare what their page shows and for the writes that
 * invalidate it (the table is in the README). A page declares the tag of every item it shows
 * (an event card carries `event:<id>`) and the tag of every list whose membership it shows.
 * Pages listing what Meilisearch found are not kept: the index changes after the write's commit.
 */
export const pageTags = {
  /** Pages without data: only a new deployment changes them. */
  static: "static",
  /** The figures of the network: approved members and their collectivities. */
  network: "network",
  /** The categories of the forums with their counts and latest topics. */
  forums: "forums",
  /** Which initiatives are published, and their themes and inspirations. */
  initiatives: "initiatives",
  /** Which events are listed, and when. */
  events: "events",
  topic: (id: number) => `topic:${id}`,
  category: (id: number) => `category:${id}`,
  initiative: (id: string) => `initiative:${id}`,
  event: (id: string) => `event:${id}`,
  /** A person shown by name, function and collectivity. */
  member: (id: string) => `member:${id}`,
};

/**
 * The expiry of a page that changes when the clock passes one of these instants (registrations
 * closing, an event ending): the seconds until the next one still ahead, or undefined.
 */
export function secondsUntil(
  instants: Iterable<Date | string | null | undefined>,
  now = Date.now(),
) {
  let next = Infinity;
  for (const instant of instants) {
    if (!instant) continue;
    const at = new Date(instant).getTime();
    if (at >= now && at < next) next = at;
  }
  return next === Infinity ? undefined : Math.max(1, Math.ceil((next - now) / 1000));
}

/**
 * For the loader of a public page: its anonymous rendering may be served to every anonymous
 * visitor until one of `tags` is invalidated, or for `maxAgeSeconds` when it shows something that
 * changes with time alone ("dans 3 jours", an event whose registrations close). Without a call,
 * a page is never cached. Members never get a cached page, whatever the loader says.
 */
export function cachePage(
  context: Pick<AppLoadContext, "pageCache">,
  page: { tags: string[]; maxAgeSeconds?: number },
) {
  for (const tag of page.tags) {
    if (!TAG_PATTERN.test(tag)) throw new Error(`Étiquette de cache invalide : ${tag}`);
  }
  if (context.pageCache.tags.length === 0) context.pageCache.tags.push(SITE_TAG);
  context.pageCache.tags.push(...page.tags);
  if (page.maxAgeSeconds !== undefined) {
    const current = context.pageCache.maxAgeSeconds ?? Infinity;
    context.pageCache.maxAgeSeconds = Math.min(current, page.maxAgeSeconds);
  }
}

export type CachedPage = {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
  etag: string;
  /** The script-src sources that replace the nonce (hashes of the page's own inline scripts). */
  scriptSources: string | null;
  tags: string[];
  expiresAt: number;
};

type Stored = CachedPage & { bytes: number };

/**
 * Pages by key, least recently used first (a Map keeps insertion order), with an index from tags
 * to keys. `invalidatedAt` remembers, per tag, the last invalidation: a page rendered from data
 * read before it must not be stored after it, or it would stay stale.
 */
export class PageStore {
  readonly maxBytes: number;
  private readonly now: () => number;
  private readonly pages = new Map<string, Stored>();
  private readonly keysByTag = new Map<string, Set<string>>();
  private readonly invalidatedAt = new Map<string, number>();
  // Every invalidation older than this counts as having just happened (bounds invalidatedAt).
  private floor = 0;
  private sequence = 0;
  bytes = 0;
  readonly stats = { hits: 0, misses: 0, stored: 0, evicted: 0, invalidated: 0 };

  constructor(options: { maxBytes: number; now?: () => number }) {
    this.maxBytes = options.maxBytes;
    this.now = options.now ?? Date.now;
  }

  get size() {
    return this.pages.size;
  }

  /** A number to note when a rendering starts, to give back to {@link set}. */
  mark() {
    return this.sequence;
  }

  get(key: string): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page || page.expiresAt <= this.now()) {
      if (page) this.remove(key);
      this.stats.misses += 1;
      return undefined;
    }
    this.pages.delete(key);
    this.pages.set(key, page);
    this.stats.hits += 1;
    return page;
  }

  /**
   * Stores a page rendered since `mark`, unless one of its tags was invalidated meanwhile or it
   * would take more than an eighth of the store. Returns whether it was stored.
   */
  set(key: string, page: CachedPage, mark: number) {
    if (mark < this.floor) return false;
    if (page.tags.some((tag) => (this.invalidatedAt.get(tag) ?? -1) > mark)) return false;
    const bytes =
      page.body.length +
      key.length +
      page.headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0) +
      256;
    if (bytes > this.maxBytes / 8) return false;
    this.remove(key);
    this.pages.set(key, { ...page, bytes });
    this.bytes += bytes;
    for (const tag of page.tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    for (const [oldest] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
      this.stats.evicted += 1;
    }
    this.stats.stored += 1;
    return true;
  }

  /** Drops every page carrying one of `tags`; renderings under way will not be stored. */
  invalidate(tags: Iterable<string>) {
    this.sequence += 1;
    for (const tag of tags) {
      this.invalidatedAt.set(tag, this.sequence);
      for (const key of this.keysByTag.get(tag) ?? []) {
        this.remove(key);
        this.stats.invalidated += 1;
      }
    }
    if (this.invalidatedAt.size > 10_000) {
      this.invalidatedAt.clear();
      this.floor = this.sequence;
    }
  }

  /** Forgets everything, including renderings under way. */
  clear() {
    this.sequence += 1;
    this.floor = this.sequence;
    this.pages.clear();
    this.keysByTag.clear();
    this.invalidatedAt.clear();
    this.bytes = 0;
  }

  private remove(key: string) {
    const page = this.pages.get(key);
    if (!page) return;
    this.pages.delete(key);
    this.bytes -= page.bytes;
    for (const tag of page.tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByTag.delete(tag);
    }
  }
}

// ——— Invalidation across instances ———

type Registry = { origin: string; stores: Set<PageStore> };

/**
 * The stores of the app instances in this process, and the name its NOTIFY messages carry (the
 * Remix build and server.ts load this module twice: both copies share this object).
 */
const registry = () =>
  singleton<Registry>("page-cache", () => ({
    origin: randomBytes(8).toString("hex"),
    stores: new Set(),
  }));

export function registerStore(store: PageStore) {
  registry().stores.add(store);
  return () => registry().stores.delete(store);
}

export type InvalidationMessage = { origin: string; tags: string[] };

/** Reads a NOTIFY payload; anything else than what {@link invalidatePages} sends is ignored. */
export function parseInvalidation(payload: string): InvalidationMessage | null {
  try {
    const value = JSON.parse(payload) as Partial<InvalidationMessage>;
    if (typeof value.origin !== "string" || !Array.isArray(value.tags)) return null;
    const tags = value.tags.filter((tag): tag is string => typeof tag === "string");
    return { origin: value.origin, tags };
  } catch {
    return null;
  }
}

/** Whether a message came from this process, whose stores already dropped its pages. */
export function isOwnInvalidation(message: InvalidationMessage) {
  return message.origin === registry().origin;
}

// NOTIFY payloads must stay under 8,000 bytes.
const PAYLOAD_LIMIT = 7000;

/**
 * After a write committed (from `afterCommit`): drops the pages of `tags` on every instance of
 * this process before returning, then tells the other instances through NOTIFY. The writer's next
 * anonymous request therefore never sees the page as it was; other instances drop it as soon as
 * the notification arrives (milliseconds).
 */
export async function invalidatePages(tags: string[]) {
  if (tags.length === 0) return;
  const { origin, stores } = registry();
  for (const store of stores) store.invalidate(tags);
  let batch: string[] = [];
  const send = async () => {
    if (batch.length === 0) return;
    await sqlClient().notify(PAGE_CACHE_CHANNEL, JSON.stringify({ origin, tags: batch }));
    batch = [];
  };
  let length = 0;
  for (const tag of new Set(tags)) {
    if (length + tag.length + 3 > PAYLOAD_LIMIT) {
      await send();
      length = 0;
    }
    batch.push(tag);
    length += tag.length + 3;
  }
  await send();
}
