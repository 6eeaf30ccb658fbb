import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { FilterSelect } from "~/components/forms";
import { LevelBadge, MentionList } from "~/components/label-level";
import { listAreas } from "~/models/collectivities.server";
import { palmares } from "~/models/label-results.server";
import styles from "~/styles/label.css";
import { formatDate } from "~/utils/dates";
import { categoryDefinitions, categoryLabels, levelSpoken, levelValues } from "~/utils/label";
import { ResultsQuerySchema } from "~/utils/label-schemas";
import { invariantResponse } from "~/utils/replies.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  invariantResponse(/^\d{4}$/.test(params.annee ?? ""), "Palmarès introuvable.");
  const year = Number(params.annee);
  const query = Object.fromEntries(
    [...new URL(request.url).searchParams].filter(([key, value]) => value !== "" && key !== "year"),
  );
  // A filter that does not parse is dropped, not turned into an error page.
  const parsed = ResultsQuerySchema.safeParse(query);
  const filter = parsed.success ? parsed.data : {};
  const [result, areas] = await Promise.all([palmares(year, filter), listAreas()]);
  invariantResponse(
    result,
    "Palmarès introuvable : les résultats de cette année ne sont pas publiés.",
  );
  const regionNames = new Map(areas.regions.map((r) => [r.code, r.name]));
  return {
    year,
    title: result.campaign.title,
    publishedAt: formatDate(result.campaign.publishedAt),
    filter,
    counts: result.counts,
    total: result.results.length,
    results: result.results.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      mentions: r.mentions,
      quote: r.quote,
      category: categoryLabels[r.category],
      region: r.regionCode ? (regionNames.get(r.regionCode) ?? null) : null,
      credits: r.credits.map((c) => ({ name: c.name, role: c.role })),
    })),
    regions: areas.regions.map((r) => ({ value: r.code, label: r.name })),
    departments: areas.departments
      .filter((d) => !filter.region || d.regionCode === filter.region)
      .map((d) => ({ value: d.code, label: `${d.name} (${d.code})` })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Palmarès ${data.year} du label — Territoires Internet` : "Palmarès du label" },
];

export default function PalmaresPage() {
  const data = useLoaderData<typeof loader>();
  const csv = new URLSearchParams({ year: String(data.year) });
  for (const [key, value] of Object.entries(data.filter)) csv.set(key, String(value));
  return (
    <div className="container stack">
      <Breadcrumb trail={[{ to: "/label", label: "Label" }]} current={`Palmarès ${data.year}`} />
      <section className="ceremony stack" aria-labelledby="titre">
        <h1 id="titre">Palmarès {data.year}</h1>
        <p>
          {data.title} · résultats publiés le {data.publishedAt}. Bravo aux {data.total}{" "}
          collectivités labellisées{Object.keys(data.filter).length > 0 ? " (sélection)" : ""} !
        </p>
        <ul className="level-counts" aria-label="Nombre de collectivités par niveau">
          {[...levelValues].reverse().map((level) => (
            <li key={level}>
              <LevelBadge level={level} /> : {data.counts[level] ?? 0}
              <span className="visually-hidden"> collectivités à {levelSpoken(level)}</span>
            </li>
          ))}
        </ul>
      </section>
      <Form method="get" className="filters card" aria-label="Filtrer le palmarès">
        <FilterSelect
          name="region"
          label="Région"
          empty="Toutes les régions"
          options={data.regions}
          value={data.filter.region}
        />
        <FilterSelect
          name="department"
          label="Département"
          empty="Tous les départements"
          options={data.departments}
          value={data.filter.department}
        />
        <FilterSelect
          name="level"
          label="Niveau"
          empty="Tous les niveaux"
          options={levelValues.map((l) => ({ value: String(l), label: `${l} @` }))}
          value={data.filter.level ? String(data.filter.level) : undefined}
        />
        <FilterSelect
          name="category"
          label="Catégorie"
          empty="Toutes les catégories"
          options={categoryDefinitions.map((c) => ({ value: c.slug, label: c.label }))}
          value={data.filter.category}
        />
        <p className="actions">
          <button type="submit">Filtrer</button>
          <Link to={`/label/${data.year}`}>Tout afficher</Link>
        </p>
      </Form>
      {data.results.length === 0 ? (
        <p>Aucune collectivité labellisée ne correspond à ces filtres.</p>
      ) : (
        <ul className="laureates" aria-label="Collectivités labellisées">
          {data.results.map((r) => (
            <li key={r.code} className="laureate stack">
              <h2>
                <Link to={`/collectivites/${r.code}`}>{r.name}</Link>
              </h2>
              <LevelBadge level={r.level} size="large" />
              <p className="muted">
                {r.category}
                {r.region ? ` · ${r.region}` : ""}
              </p>
              <MentionList mentions={r.mentions} />
              {r.quote ? <blockquote>« {r.quote} »</blockquote> : null}
              {r.credits.length > 0 ? (
                <p>
                  <small>
                    Avec{" "}
                    {r.credits.map((c) => `${c.name}${c.role ? ` (${c.role})` : ""}`).join(", ")}
                  </small>
                </p>
              ) : null}
              <p>
                <Link to={`/label/verifier/${r.code}`}>
                  Vérifier<span className="visually-hidden"> le label de {r.name}</span>
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/api/v1/label/results.csv?${csv.toString()}`}>
          Télécharger ces résultats (CSV, Licence Ouverte)
        </a>{" "}
        · <Link to="/label/statistiques">Statistiques</Link>
      </p>
    </div>
  );
}
