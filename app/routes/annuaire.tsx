import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams, useSubmit } from "@remix-run/react";

import { FilterSelect } from "~/components/forms";
import { Notice } from "~/components/notice";
import { Pagination } from "~/components/pagination";
import { listAreas, searchCollectivities } from "~/models/collectivities.server";
import { kindLabels } from "~/utils/labels";
import { CollectivitiesQuerySchema } from "~/utils/schemas";
import { formatNumber } from "~/utils/text";

const kindOptions = Object.entries(kindLabels).map(([value, label]) => ({ value, label }));
const networkOptions = [
  { value: "oui", label: "Oui" },
  { value: "non", label: "Pas encore" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = CollectivitiesQuerySchema.safeParse(params);
  // Bad filters in a hand-edited URL fall back to an unfiltered page rather than an error.
  const query = parsed.success ? parsed.data : { page: 1 };
  const [results, areas] = await Promise.all([
    searchCollectivities({ ...query, pageSize: 20 }),
    listAreas(),
  ]);
  return { results, areas, invalid: !parsed.success };
}

export const meta: MetaFunction = () => [
  { title: "Annuaire des collectivités — Territoires Internet" },
];

export default function CollectivitiesPage() {
  const { results, areas, invalid } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const departmentName = new Map(areas.departments.map((d) => [d.code, d.name]));
  return (
    <div className="container">
      <h1>Annuaire des collectivités</h1>
      <p className="muted">
        Toutes les communes, intercommunalités, départements et régions de France (Code officiel
        géographique de l'Insee).
      </p>
      <Form
        method="get"
        role="search"
        className="card stack"
        aria-label="Rechercher une collectivité"
      >
        <div className="field">
          <label htmlFor="q">Nom, code postal, code Insee ou Siren</label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={params.get("q") ?? ""}
            onChange={(event) =>
              submit(event.currentTarget.form, { replace: true, preventScrollReset: true })
            }
          />
        </div>
        <div className="filters">
          <FilterSelect
            name="region"
            label="Région"
            empty="Toutes"
            options={areas.regions.map((r) => ({ value: r.code, label: r.name }))}
            value={params.get("region")}
          />
          <FilterSelect
            name="department"
            label="Département"
            empty="Tous"
            options={areas.departments.map((d) => ({
              value: d.code,
              label: `${d.code} — ${d.name}`,
            }))}
            value={params.get("department")}
          />
          <FilterSelect
            name="kind"
            label="Type"
            empty="Tous"
            options={kindOptions}
            value={params.get("kind")}
          />
          <FilterSelect
            name="network"
            label="Membre du réseau"
            empty="Toutes"
            options={networkOptions}
            value={params.get("network")}
          />
          <div>
            <button type="submit">Rechercher</button>
          </div>
        </div>
      </Form>
      {invalid ? (
        <Notice kind="warning">Certains filtres étaient invalides et ont été ignorés.</Notice>
      ) : null}
      <h2 aria-live="polite">
        {results.total === 0
          ? "Aucune collectivité trouvée"
          : `${formatNumber(results.total)} collectivité${results.total > 1 ? "s" : ""}`}
      </h2>
      {results.total === 0 ? (
        <p>Vérifiez l'orthographe, essayez un code postal ou retirez un filtre.</p>
      ) : (
        <ul className="list-plain">
          {results.items.map((c) => (
            <li key={c.code} className="card">
              <Link to={`/collectivites/${c.code}`}>
                <strong>{c.name}</strong>
              </Link>{" "}
              <span className="badge">{kindLabels[c.kind]}</span>{" "}
              {c.inNetwork ? <span className="badge badge--approved">Membre du réseau</span> : null}
              <div className="muted">
                {c.departmentCode
                  ? `${departmentName.get(c.departmentCode) ?? ""} (${c.departmentCode})`
                  : null}
                {c.postcodes.length > 0 ? ` · ${c.postcodes.slice(0, 3).join(", ")}` : null}
                {c.population ? ` · ${formatNumber(c.population)} habitants` : null}
              </div>
              {c.inNetwork ? null : (
                <Link to={`/invitations?vers=${c.code}`}>
                  Inviter {c.name}
                  <span className="visually-hidden"> à rejoindre le réseau</span>
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={results.page} pageSize={results.pageSize} total={results.total} />
    </div>
  );
}
