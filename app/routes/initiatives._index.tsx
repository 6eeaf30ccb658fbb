import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";

import { FilterSelect, type FilterOption } from "~/components/forms";
import { InitiativeCard } from "~/components/initiative-card";
import { Notice } from "~/components/notice";
import { Pagination } from "~/components/pagination";
import { listAreas } from "~/models/collectivities.server";
import { searchInitiatives } from "~/models/initiative-search.server";
import { InitiativeQuerySchema, type InitiativeQuery } from "~/utils/initiative-schemas";
import { populationBrackets } from "~/utils/initiatives";
import { kindLabels } from "~/utils/labels";
import { formatNumber } from "~/utils/text";
import { themes } from "~/utils/themes";

const PAGE_SIZE = 20;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const raw: Record<string, string | string[]> = Object.fromEntries(params);
  if (params.getAll("theme").length > 1) raw.theme = params.getAll("theme");
  const parsed = InitiativeQuerySchema.safeParse(raw);
  // A hand-edited URL with a bad filter shows everything, with a notice, rather than an error.
  const query: InitiativeQuery = parsed.success
    ? { ...parsed.data, pageSize: PAGE_SIZE }
    : { page: 1, pageSize: PAGE_SIZE };
  const [areas, results] = await Promise.all([listAreas(), searchInitiatives(query)]);
  return {
    query,
    results,
    // Meilisearch away: the newest initiatives from PostgreSQL, without ranking or counts.
    degraded: results.degraded,
    invalid: !parsed.success,
    areas,
    signedIn: !!context.auth.user,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data?.query.q
      ? `« ${data.query.q} » — Initiatives — Territoires Internet`
      : "Initiatives — Territoires Internet",
  },
];

/** Options of a facet, with their counts; a selected value stays listed even with 0 result. */
function facetOptions(
  all: Array<{ value: string; label: string }>,
  counts: Record<string, number> | undefined,
  selected: string[],
  keepEmpty = false,
): FilterOption[] {
  return all
    .map((option) => ({ ...option, count: counts?.[option.value] }))
    .filter((o) => keepEmpty || !counts || (o.count ?? 0) > 0 || selected.includes(o.value));
}

export default function InitiativesPage() {
  const { query, results, degraded, invalid, areas, signedIn } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  const selectedThemes = query.theme ? [query.theme].flat() : [];
  const facets = results.facets;
  const regionName = new Map(areas.regions.map((r) => [r.code, r.name]));
  const departmentName = new Map(areas.departments.map((d) => [d.code, d.name]));
  const sortedByCount = (counts: Record<string, number> | undefined) =>
    Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1]);

  // Typing updates the results after a short pause; filters apply at once.
  const update = (delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!formRef.current) return;
      const data = new FormData(formRef.current);
      data.delete("page");
      submit(data, { method: "get", replace: true, preventScrollReset: true });
    }, delay);
  };

  const regionOptions: FilterOption[] = facetOptions(
    sortedByCount(facets.region).map(([code]) => ({
      value: code,
      label: regionName.get(code) ?? code,
    })),
    facets.region,
    query.region ? [query.region] : [],
  );
  if (query.region && !regionOptions.some((o) => o.value === query.region))
    regionOptions.push({
      value: query.region,
      label: regionName.get(query.region) ?? query.region,
    });
  const departmentOptions: FilterOption[] = sortedByCount(facets.department).map(
    ([code, count]) => ({
      value: code,
      label: `${departmentName.get(code) ?? code} (${code})`,
      count,
    }),
  );
  if (query.department && !departmentOptions.some((o) => o.value === query.department))
    departmentOptions.push({ value: query.department, label: query.department });
  const yearOptions: FilterOption[] = Object.entries(facets.year ?? {})
    .sort((a, b) => Number(b[0]) - Number(a[0]))
    .map(([year, count]) => ({ value: year, label: year, count }));
  if (query.year && !yearOptions.some((o) => o.value === String(query.year)))
    yearOptions.push({ value: String(query.year), label: String(query.year) });

  return (
    <div className="container stack">
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h1>Initiatives</h1>
        {signedIn ? (
          <p className="actions">
            <Link to="/initiatives/nouvelle" className="button">
              Partager une initiative
            </Link>
            <Link to="/initiatives/brouillons">Mes brouillons</Link>
          </p>
        ) : null}
      </div>
      <p className="muted">
        Les bonnes pratiques numériques des collectivités du réseau : ce qu'elles ont fait, avec
        qui, et qui contacter pour s'en inspirer.
      </p>

      <Form
        method="get"
        role="search"
        aria-label="Rechercher une initiative"
        ref={formRef}
        onChange={(event) => {
          const target = event.target as HTMLElement;
          update(target.getAttribute("type") === "search" ? 250 : 0);
        }}
        onSubmit={() => clearTimeout(timer.current)}
      >
        <div className="search-bar card">
          <div className="field">
            <label htmlFor="q">Mots-clés</label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={query.q ?? ""}
              placeholder="inclusion numérique, conseil municipal en direct…"
              onInput={() => update(250)}
            />
          </div>
          <div className="field">
            <label htmlFor="sort">Trier par</label>
            <select id="sort" name="sort" defaultValue={query.sort ?? "pertinence"}>
              <option value="pertinence">Pertinence</option>
              <option value="recent">Les plus récentes</option>
            </select>
          </div>
          <button type="submit">Rechercher</button>
        </div>

        <div className="search-layout" style={{ marginTop: "1.5rem" }}>
          <div className="facets">
            <h2 className="visually-hidden">Filtres</h2>
            <fieldset>
              <legend>Thèmes</legend>
              <div className="choices">
                {facetOptions(
                  themes.map((t) => ({ value: t.slug, label: t.label })),
                  degraded ? undefined : facets.themes,
                  selectedThemes,
                ).map((option) => (
                  <label key={option.value}>
                    <input
                      type="checkbox"
                      name="theme"
                      value={option.value}
                      defaultChecked={selectedThemes.includes(option.value)}
                    />
                    <span>
                      {option.label}{" "}
                      {option.count !== undefined ? (
                        <span className="facet-count">({formatNumber(option.count)})</span>
                      ) : null}
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <FilterSelect
              name="region"
              id="facet-region"
              label="Région"
              empty="Toutes les régions"
              options={regionOptions}
              value={query.region}
            />
            <FilterSelect
              name="department"
              id="facet-department"
              label="Département"
              empty="Tous les départements"
              options={departmentOptions}
              value={query.department}
            />
            <FilterSelect
              name="kind"
              id="facet-kind"
              label="Type de collectivité"
              empty="Tous les types"
              options={facetOptions(
                Object.entries(kindLabels).map(([value, label]) => ({ value, label })),
                facets.collectivityKind,
                query.kind ? [query.kind] : [],
              )}
              value={query.kind}
            />
            <FilterSelect
              name="population"
              id="facet-population"
              label="Taille de la collectivité"
              empty="Toutes les tailles"
              options={facetOptions(
                populationBrackets.map((b) => ({ value: b.slug, label: b.label })),
                facets.populationBracket,
                query.population ? [query.population] : [],
              )}
              value={query.population}
            />
            <FilterSelect
              name="year"
              id="facet-year"
              label="Année de lancement"
              empty="Toutes les années"
              options={yearOptions}
              value={query.year ? String(query.year) : undefined}
            />
            <p className="actions">
              <button type="submit" className="secondary">
                Appliquer les filtres
              </button>
              <Link to="/initiatives" reloadDocument>
                Tout effacer
              </Link>
            </p>
          </div>

          <section aria-labelledby="resultats">
            {degraded ? (
              <Notice kind="warning">
                La recherche est momentanément indisponible : voici les dernières initiatives
                publiées. Réessayez dans un instant pour chercher par mots-clés.
              </Notice>
            ) : null}
            {invalid ? (
              <Notice kind="warning">
                Certains filtres de l'adresse étaient invalides et ont été ignorés.
              </Notice>
            ) : null}
            <h2 id="resultats" aria-live="polite" aria-busy={navigation.state === "loading"}>
              {results.total === 0
                ? "Aucune initiative trouvée"
                : `${formatNumber(results.total)} initiative${results.total > 1 ? "s" : ""}`}
            </h2>
            {results.total === 0 ? (
              <p>
                Vérifiez l'orthographe, essayez un mot plus général ou retirez un filtre.
                {signedIn ? (
                  <>
                    {" "}
                    Votre collectivité a mené un projet de ce type ?{" "}
                    <Link to="/initiatives/nouvelle">Partagez-le</Link>.
                  </>
                ) : null}
              </p>
            ) : (
              <ul className="list-plain">
                {results.items.map((item) => (
                  <li key={item.id}>
                    <InitiativeCard initiative={item} />
                  </li>
                ))}
              </ul>
            )}
            <Pagination page={results.page} pageSize={results.pageSize} total={results.total} />
          </section>
        </div>
      </Form>
      <p className="muted">
        Données ouvertes (Licence Ouverte / Etalab 2.0) : <a href="/api/v1/initiatives.csv">CSV</a>,{" "}
        <a href="/api/v1/initiatives.json">JSON</a>.
      </p>
    </div>
  );
}
