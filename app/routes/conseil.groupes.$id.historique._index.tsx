import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { pageHistory } from "~/models/groups-page.server";
import { getWorkingGroup } from "~/models/groups.server";
import { formatDateTime } from "~/utils/dates";
import { invariantResponse } from "~/utils/replies.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const group = await getWorkingGroup(params.id ?? "");
  invariantResponse(group, "Groupe de travail introuvable.");
  const versions = await pageHistory(group.id);
  return {
    group: { id: group.id, title: group.title },
    versions: versions.map((v) => ({ ...v, createdAt: formatDateTime(v.createdAt) })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Historique de la page — ${data.group.title}` : "Groupe de travail introuvable" },
];

export default function SharedPageHistory() {
  const { group, versions } = useLoaderData<typeof loader>();
  return (
    <div className="narrow stack">
      <Breadcrumb
        trail={[
          { to: "/conseil/groupes", label: "Groupes de travail" },
          { to: `/conseil/groupes/${group.id}`, label: group.title },
        ]}
        current="Historique"
      />
      <h1>Historique de la page partagée</h1>
      {versions.length === 0 ? (
        <p>Aucune version enregistrée pour l'instant.</p>
      ) : (
        <ol reversed className="stack">
          {versions.map((v) => (
            <li key={v.version}>
              <Link to={`/conseil/groupes/${group.id}/historique/${v.version}`}>
                {`Version ${v.version}`}
              </Link>{" "}
              — {v.authorName}, {v.createdAt}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
