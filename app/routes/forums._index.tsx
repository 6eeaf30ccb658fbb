import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { Notice } from "~/components/notice";
import { isModerator, listCategories, searchForumTopics, topicPath } from "~/models/forums.server";
import { getUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { SearchQuerySchema } from "~/utils/forum-schemas";
import { cachePage, pageTags } from "~/utils/page-cache.server";
import { formatNumber } from "~/utils/text";

export async function loader(args: LoaderFunctionArgs) {
  const viewer = getUser(args);
  const parsed = SearchQuerySchema.safeParse(
    Object.fromEntries(new URL(args.request.url).searchParams),
  );
  const q = parsed.success ? (parsed.data.q ?? "") : "";
  const [categories, search] = await Promise.all([
    listCategories(viewer),
    q ? searchForumTopics(q, viewer) : Promise.resolve(undefined),
  ]);
  // A search reads Meilisearch, which follows the writes later: only the categories are kept.
  if (!search) cachePage(args.context, { tags: [pageTags.forums] });
  return {
    categories,
    moderator: isModerator(viewer),
    q,
    queryError: parsed.success ? null : (parsed.error.issues[0]?.message ?? null),
    search: search && {
      degraded: search.degraded,
      limited: search.limited,
      hits: search.hits.map((hit) => ({ ...hit, path: topicPath(hit.categorySlug, hit) })),
    },
  };
}

export const meta: MetaFunction = () => [{ title: "Forums — Territoires Internet" }];

export default function ForumsPage() {
  const { categories, q, search, queryError, moderator } = useLoaderData<typeof loader>();
  return (
    <div className="container stack">
      <h1>Forums</h1>
      <p className="muted">
        Élus et agents échangent leurs pratiques entre collectivités du réseau.
      </p>
      {moderator ? (
        <p>
          <Link to="/moderation/forums">File de modération des forums</Link>
        </p>
      ) : null}
      <Form
        method="get"
        role="search"
        className="card search-form"
        aria-label="Rechercher dans les forums"
      >
        <div className="field">
          <label htmlFor="q">Rechercher un sujet</label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={100}
            aria-invalid={queryError ? true : undefined}
            aria-describedby={queryError ? "q-error" : undefined}
          />
          {queryError ? (
            <p id="q-error" className="field-error">
              {queryError}
            </p>
          ) : null}
        </div>
        <button type="submit">Rechercher</button>
      </Form>

      {search ? (
        <section aria-labelledby="resultats" className="stack">
          {search.degraded ? (
            <Notice kind="warning">
              La recherche est momentanément limitée : seuls les titres sont comparés. Parcourez
              aussi les catégories ci-dessous.
            </Notice>
          ) : null}
          <h2 id="resultats">
            {search.hits.length === 0
              ? `Aucun sujet ne correspond à « ${q} »`
              : `${formatNumber(search.hits.length)} sujet${search.hits.length > 1 ? "s" : ""} pour « ${q} »${search.limited ? " (les plus pertinents)" : ""}`}
          </h2>
          {search.hits.length === 0 ? (
            <p>Essayez un autre mot, ou ouvrez un nouveau sujet dans la catégorie qui convient.</p>
          ) : (
            <ul className="topic-list">
              {search.hits.map((hit) => (
                <li key={hit.id} className="card">
                  <Link to={hit.path}>{hit.title}</Link>
                  <p className="muted">
                    {hit.categoryTitle} — {formatNumber(hit.postCount)} message
                    {hit.postCount > 1 ? "s" : ""}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <section aria-labelledby="categories" className="stack">
        <h2 id="categories">Catégories</h2>
        <ul className="category-list">
          {categories.map((category) => (
            <li key={category.slug} className="card">
              <h3>
                <Link to={`/forums/${category.slug}`}>{category.title}</Link>
                {category.requiredRole ? <span className="badge"> Accès réservé</span> : null}
              </h3>
              <p>{category.description}</p>
              <p className="muted">
                {formatNumber(category.topics)} sujet{category.topics > 1 ? "s" : ""},{" "}
                {formatNumber(category.posts)} message{category.posts > 1 ? "s" : ""}
                {category.lastTopic && category.lastActivityAt ? (
                  <>
                    {" "}
                    — dernière activité le {formatDateTime(category.lastActivityAt)} dans{" "}
                    <Link to={category.lastTopic.path}>{category.lastTopic.title}</Link>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
