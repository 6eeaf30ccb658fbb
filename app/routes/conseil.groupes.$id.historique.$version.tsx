import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { pageVersion } from "~/models/groups-page.server";
import { getWorkingGroup } from "~/models/groups.server";
import { formatDateTime } from "~/utils/dates";
import { versionParamSchema } from "~/utils/groups-schemas";
import { invariantResponse } from "~/utils/replies.server";

/** Lines that left and lines that arrived, blank ones aside: what a reader checks first. */
function changedLines(before: string, after: string) {
  const oldLines = new Set(before.split("\n"));
  const newLines = new Set(after.split("\n"));
  return {
    removed: [...oldLines].filter((line) => line.trim() && !newLines.has(line)),
    added: [...newLines].filter((line) => line.trim() && !oldLines.has(line)),
  };
}

export async function loader({ params }: LoaderFunctionArgs) {
  const group = await getWorkingGroup(params.id ?? "");
  invariantResponse(group, "Groupe de travail introuvable.");
  const number = versionParamSchema.safeParse(params.version);
  invariantResponse(number.success, "Version introuvable.");
  const found = await pageVersion(group.id, number.data);
  invariantResponse(found, "Version introuvable.");
  const shown = (v: NonNullable<typeof found.previous>) => ({
    version: v.version,
    body: v.body,
    html: v.html,
    authorName: v.authorName,
    createdAt: formatDateTime(v.createdAt),
  });
  return {
    group: { id: group.id, title: group.title },
    version: shown(found.version),
    previous: found.previous ? shown(found.previous) : null,
    changes: found.previous ? changedLines(found.previous.body, found.version.body) : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Version ${data.version.version} de la page — ${data.group.title}`
      : "Version introuvable",
  },
];

export default function SharedPageVersion() {
  const { group, version, previous, changes } = useLoaderData<typeof loader>();
  return (
    <div className="container stack">
      <Breadcrumb
        trail={[
          { to: "/conseil/groupes", label: "Groupes de travail" },
          { to: `/conseil/groupes/${group.id}`, label: group.title },
          { to: `/conseil/groupes/${group.id}/historique`, label: "Historique" },
        ]}
        current={`Version ${version.version}`}
      />
      <h1>Version {version.version} de la page partagée</h1>
      <p className="muted">
        Enregistrée par {version.authorName} le {version.createdAt}.
      </p>
      <div className="prose" dangerouslySetInnerHTML={{ __html: version.html }} />
      <section aria-labelledby="changements" className="stack">
        <h2 id="changements">Ce que cette version a changé</h2>
        {previous && changes ? (
          <>
            <h3>Lignes retirées ({changes.removed.length})</h3>
            {changes.removed.length === 0 ? (
              <p>Aucune.</p>
            ) : (
              <ul>
                {changes.removed.map((line) => (
                  <li key={line}>
                    <del>{line}</del>
                  </li>
                ))}
              </ul>
            )}
            <h3>Lignes ajoutées ({changes.added.length})</h3>
            {changes.added.length === 0 ? (
              <p>Aucune.</p>
            ) : (
              <ul>
                {changes.added.map((line) => (
                  <li key={line}>
                    <ins>{line}</ins>
                  </li>
                ))}
              </ul>
            )}
            <details>
              <summary>
                {`Texte de la version précédente (${previous.version}, ${previous.authorName}, ${previous.createdAt})`}
              </summary>
              <pre className="pre-line">{previous.body}</pre>
            </details>
          </>
        ) : (
          <p>C'est la première version de la page.</p>
        )}
      </section>
    </div>
  );
}
