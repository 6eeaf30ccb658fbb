import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";

import { InitiativeCard, toCardData } from "~/components/initiative-card";
import { Notice } from "~/components/notice";
import { listDrafts } from "~/models/initiatives.server";
import { requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  return { drafts: await listDrafts(user) };
}

export const meta: MetaFunction = () => [{ title: "Mes brouillons — Territoires Internet" }];

export default function DraftsPage() {
  const { drafts } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="container stack">
      <p>
        <Link to="/initiatives">← Toutes les initiatives</Link>
      </p>
      <h1>Mes brouillons</h1>
      {params.get("supprimee") ? (
        <Notice kind="success">L'initiative a été supprimée.</Notice>
      ) : null}
      <p className="muted">
        Les initiatives non publiées de votre collectivité : vous et vos collègues membres les voyez
        seuls.
      </p>
      {drafts.length === 0 ? (
        <p>
          Aucun brouillon. <Link to="/initiatives/nouvelle">Partager une initiative</Link>
        </p>
      ) : (
        <ul className="list-plain">
          {drafts.map((d) => (
            <li key={d.id} className="stack">
              <InitiativeCard headingLevel={2} initiative={toCardData(d)} />
              <p className="muted">
                Modifié le {formatDateTime(d.updatedAt)} ·{" "}
                <Link to={`/initiatives/${d.slug}/modifier`}>
                  Reprendre <span className="visually-hidden">« {d.title} »</span>
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
