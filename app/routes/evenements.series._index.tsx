import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { listSeries } from "~/models/event-series.server";
import { hasRole } from "~/utils/auth.server";

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  return { series: await listSeries(viewer), canCreate: hasRole(viewer, "organiser") };
}

export const meta: MetaFunction = () => [{ title: "Cycles d'événements — Territoires Internet" }];

export default function SeriesListPage() {
  const { series, canCreate } = useLoaderData<typeof loader>();
  return (
    <div className="container stack">
      <p>
        <Link to="/evenements">← Tous les événements</Link>
      </p>
      <h1>Cycles d'événements</h1>
      <p>
        Un cycle, comme les assises territoriales, fait étape dans plusieurs collectivités : un
        programme commun, un agenda à suivre et une inscription à chaque étape.
      </p>
      {canCreate ? (
        <p>
          <Link to="/evenements/series/nouveau">Créer un cycle</Link>
        </p>
      ) : null}
      {series.length === 0 ? (
        <p>Aucun cycle publié pour l'instant.</p>
      ) : (
        <ul>
          {series.map((item) => (
            <li key={item.slug}>
              <Link to={`/evenements/series/${item.slug}`}>{item.title}</Link>
              {item.status === "draft" ? " (brouillon)" : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
