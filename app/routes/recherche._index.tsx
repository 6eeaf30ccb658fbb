import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { AlertButton } from "~/components/alert-button";
import { Notice } from "~/components/notice";
import { Pagination } from "~/components/pagination";
import { SearchGroup, SearchHit } from "~/components/search-results";
import { findAlert } from "~/models/alerts.server";
import { searchSite } from "~/models/site-search.server";
import { getUser } from "~/utils/auth.server";
import {
  countLabel,
  searchKindLabels,
  searchKinds,
  SiteSearchPageQuerySchema,
  type SearchKind,
  type SiteHit,
} from "~/utils/search-kinds";

/** Hits read for the grouped view: enough for each kind's best few in the merged order. */
const OVERVIEW_HITS = 50;
const PER_GROUP = 5;
const PAGE_SIZE = 20;

export async function loader(args: LoaderFunctionArgs) {
  const viewer = getUser(args);
  const url = new URL(args.request.url);
  const parsed = SiteSearchPageQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  const query = parsed.success ? parsed.data : { q: undefined, type: undefined, page: 1 };
  const error = parsed.success ? null : (parsed.error.issues[0]?.message ?? null);
  if (!query.q) return { q: url.searchParams.get("q") ?? "", error, type: null, search: null };
  const kinds = query.type ? [query.type] : searchKinds;
  const [search, alert] = await Promise.all([
    searchSite({
      q: query.q,
      kinds,
      viewer,
      page: query.type ? query.page : 1,
      pageSize: query.type ? PAGE_SIZE : OVERVIEW_HITS,
    }),
    viewer ? findAlert(viewer.id, "search", query.q) : null,
  ]);
  return {
    q: query.q,
    error,
    type: query.type ?? null,
    page: query.page,
    signedIn: viewer !== null,
    following: alert !== null,
    search,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data?.q
      ? `« ${data.q} » — Recherche — Territoires Internet`
      : "Recherche — Territoires Internet",
  },
];

/** Kinds in the order of their best hit, then those found only further down. */
function groups(items: SiteHit[], totals: Partial<Record<SearchKind, number>>) {
  const order: SearchKind[] = [];
  for (const item of items) if (!order.includes(item.type)) order.push(item.type);
  for (const kind of searchKinds)
    if ((totals[kind] ?? 0) > 0 && !order.includes(kind)) order.push(kind);
  return order.map((kind) => ({
    kind,
    total: totals[kind] ?? 0,
    items: items.filter((item) => item.type === kind).slice(0, PER_GROUP),
  }));
}

export default function SearchPage() {
  const data = useLoaderData<typeof loader>();
  const { q, search, type } = data;
  const found = search ? groups(search.items, search.totals) : [];
  const total = Object.values(search?.totals ?? {}).reduce((sum, n) => sum + n, 0);
  return (
    <div className="container stack">
      <h1>Rechercher dans le réseau</h1>
      <Form
        method="get"
        role="search"
        aria-label="Rechercher dans tout le réseau"
        className="card stack"
      >
        <div className="search-form">
          <div className="field">
            <label htmlFor="recherche-q">Que cherchez-vous ?</label>
            <input
              id="recherche-q"
              name="q"
              type="search"
              defaultValue={q}
              maxLength={200}
              aria-invalid={data.error ? true : undefined}
              aria-describedby={data.error ? "recherche-q-erreur" : "recherche-q-aide"}
            />
            {data.error ? (
              <p id="recherche-q-erreur" className="field-error">
                {data.error}
              </p>
            ) : (
              <p id="recherche-q-aide" className="hint">
                Une initiative, un sujet de forum, un événement, une collectivité ou un membre : les
                sigles (THD, RGPD, EPCI…) et les fautes de frappe sont compris.
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="recherche-type">Type</label>
            <select id="recherche-type" name="type" defaultValue={type ?? ""}>
              <option value="">Tout</option>
              {searchKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {searchKindLabels[kind].heading}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Rechercher</button>
        </div>
      </Form>

      {search?.degraded ? (
        <Notice kind="warning">
          La recherche est momentanément limitée : seuls les titres et les noms sont comparés, et
          les réponses des forums ne sont pas parcourues. Réessayez dans quelques minutes.
        </Notice>
      ) : null}

      {search ? (
        <section aria-labelledby="resultats" className="stack">
          <div className="actions search-summary">
            <h2 id="resultats" aria-live="polite">
              {total === 0
                ? `Aucun résultat pour « ${q} »`
                : type
                  ? `${countLabel(type, total)} pour « ${q} »`
                  : `${total.toLocaleString("fr-FR")} résultat${total > 1 ? "s" : ""} pour « ${q} »`}
            </h2>
            {data.signedIn ? (
              <AlertButton
                kind="search"
                value={q}
                following={data.following ?? false}
                label={`les nouveautés pour « ${q} »`}
              />
            ) : null}
          </div>
          {total === 0 ? (
            <div className="card">
              <p>Quelques pistes :</p>
              <ul>
                <li>
                  vérifiez l'orthographe, ou essayez un mot plus général (« vélo » plutôt que «
                  vélo-cargo ») ;
                </li>
                <li>cherchez le nom d'une commune, d'un département ou d'un membre ;</li>
                <li>
                  parcourez les <Link to="/initiatives">initiatives</Link> par thème, ou posez la
                  question dans les <Link to="/forums">forums</Link>.
                </li>
              </ul>
            </div>
          ) : type ? (
            <>
              <p>
                <Link to={`/recherche?${new URLSearchParams({ q })}`}>← Tous les types</Link>
              </p>
              <ol className="search-hits card">
                {search.items.map((item) => (
                  <SearchHit key={`${item.type}:${item.id}`} item={item} />
                ))}
              </ol>
              <Pagination page={data.page ?? 1} pageSize={PAGE_SIZE} total={total} />
            </>
          ) : (
            <>
              <nav aria-label="Résultats par type" className="search-kinds">
                <ul>
                  {found.map((group) => (
                    <li key={group.kind}>
                      <a href={`#resultats-${group.kind}`}>
                        {searchKindLabels[group.kind].heading} (
                        {group.total.toLocaleString("fr-FR")})
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              {found.map((group) => (
                <SearchGroup key={group.kind} q={q} {...group} />
              ))}
            </>
          )}
        </section>
      ) : (
        <p className="muted">
          Tapez quelques mots : les résultats sont groupés par type, les plus pertinents d'abord.
        </p>
      )}
    </div>
  );
}
