import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { BarChart } from "~/components/label-charts";
import { listAreas } from "~/models/collectivities.server";
import { labelStatistics } from "~/models/label-results.server";
import styles from "~/styles/label.css";
import { categoryDefinitions, levelValues } from "~/utils/label";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader(_: LoaderFunctionArgs) {
  const [statistics, areas] = await Promise.all([labelStatistics(), listAreas()]);
  const regionName = new Map(areas.regions.map((r) => [r.code, r.name]));
  return {
    latestYear: statistics.latestYear,
    perYear: statistics.perYear.map((y) => ({
      key: String(y.year),
      label: String(y.year),
      value: y.count,
    })),
    perLevel: [...levelValues].reverse().map((level) => ({
      key: String(level),
      label: `${level} @`,
      value: statistics.perLevel.get(level) ?? 0,
    })),
    perCategory: categoryDefinitions.map((c) => ({
      key: c.slug,
      label: c.label,
      value: statistics.perCategory.get(c.slug) ?? 0,
    })),
    perRegion: [...statistics.perRegion]
      .map(([code, value]) => ({ key: code, label: regionName.get(code) ?? code, value }))
      .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, "fr")),
    perDepartment: areas.departments
      .map((d) => ({
        code: d.code,
        name: d.name,
        value: statistics.perDepartment.get(d.code) ?? 0,
      }))
      .filter((d) => d.value > 0),
  };
}

export const meta: MetaFunction = () => [{ title: "Statistiques du label — Territoires Internet" }];

export default function StatisticsPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="container stack">
      <Breadcrumb trail={[{ to: "/label", label: "Label" }]} current="Statistiques" />
      <h1>Statistiques du label</h1>
      {data.latestYear === null ? (
        <p>Les statistiques apparaîtront avec le premier palmarès publié.</p>
      ) : (
        <>
          <p className="lead">
            Les collectivités labellisées, année après année ; le détail porte sur le palmarès{" "}
            {data.latestYear}. Chaque graphique est suivi de son tableau.
          </p>
          <section aria-labelledby="par-annee" className="stack">
            <h2 id="par-annee">Participants par année</h2>
            <BarChart
              id="annees"
              title="Collectivités labellisées par année"
              bars={data.perYear}
              unit="Collectivités"
            />
          </section>
          <section aria-labelledby="par-niveau" className="stack">
            <h2 id="par-niveau">Par niveau en {data.latestYear}</h2>
            <BarChart
              id="niveaux"
              title="Collectivités labellisées par niveau"
              bars={data.perLevel}
              unit="Collectivités"
            />
          </section>
          <section aria-labelledby="par-categorie" className="stack">
            <h2 id="par-categorie">Par catégorie en {data.latestYear}</h2>
            <BarChart
              id="categories"
              title="Collectivités labellisées par catégorie"
              bars={data.perCategory}
              unit="Collectivités"
            />
          </section>
          <section aria-labelledby="par-region" className="stack">
            <h2 id="par-region">Par région en {data.latestYear}</h2>
            <BarChart
              id="regions"
              title="Collectivités labellisées par région"
              bars={data.perRegion}
              unit="Collectivités"
            />
          </section>
          <section aria-labelledby="carte" className="stack">
            <h2 id="carte">Carte par département en {data.latestYear}</h2>
            <img
              className="france-map"
              src="/label/statistiques/carte.svg"
              alt={`Carte de France métropolitaine colorée selon le nombre de collectivités labellisées par département en ${data.latestYear} ; les chiffres figurent dans le tableau qui suit.`}
            />
            <div className="table-wrap">
              <table>
                <caption>Collectivités labellisées par département en {data.latestYear}</caption>
                <thead>
                  <tr>
                    <th scope="col">Département</th>
                    <th scope="col">Collectivités</th>
                  </tr>
                </thead>
                <tbody>
                  {data.perDepartment.map((d) => (
                    <tr key={d.code}>
                      <th scope="row">
                        {d.name} ({d.code})
                      </th>
                      <td>{d.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
