import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { ThemeList } from "~/components/initiative-card";
import { councilMembershipOf, listCalls, listCouncilTopics } from "~/models/council-topics.server";
import { listVotes } from "~/models/council-votes.server";
import { hasRole } from "~/utils/auth.server";
import { councilTopicStatusLabels } from "~/utils/council-schemas";
import { formatDateTime } from "~/utils/dates";

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const [calls, votes, membership] = await Promise.all([
    listCalls(),
    listVotes(),
    viewer ? councilMembershipOf(viewer.id) : null,
  ]);
  // The call people work on: the one open now, else the latest.
  const call = calls.find((c) => c.open) ?? calls[0] ?? null;
  const topics = call ? await listCouncilTopics({ callId: call.id }) : [];
  return {
    call: call
      ? { ...call, opensAt: formatDateTime(call.opensAt), closesAt: formatDateTime(call.closesAt) }
      : null,
    topics,
    votes: votes.map((v) => ({ ...v, closesAt: formatDateTime(v.closesAt) })),
    canPropose: Boolean(call?.open && membership),
    isAdmin: hasRole(viewer, "admin"),
  };
}

export const meta: MetaFunction = () => [
  { title: "Conseil des partenaires — Territoires Internet" },
];

export default function CouncilPage() {
  const { call, topics, votes, canPropose, isAdmin } = useLoaderData<typeof loader>();
  const kept = topics.filter((t) => t.status !== "merged");
  const merged = topics.filter((t) => t.status === "merged");
  return (
    <div className="container stack">
      <h1>Conseil des partenaires des territoires de demain</h1>
      <p>
        Le conseil rassemble le monde économique, social, de l'éducation et de la recherche, les
        collectivités territoriales, l'État et ses services. Ses membres choisissent ensemble les
        sujets de leurs travaux : chacun propose, tout le monde discute, puis chaque organisation
        vote.
      </p>
      <p className="actions">
        <Link to="/annuaire?kind=partenaire">Les organisations partenaires</Link>
        <Link to="/conseil/groupes">Les groupes de travail</Link>
        <Link to="/conseil/verifier">Vérifier un reçu de vote</Link>
        {isAdmin ? <Link to="/conseil/admin">Administrer le conseil</Link> : null}
      </p>

      <section className="stack" aria-labelledby="votes">
        <h2 id="votes">Votes</h2>
        {votes.length === 0 ? (
          <p>Aucun vote pour l'instant.</p>
        ) : (
          <ul>
            {votes.map((v) => (
              <li key={v.id}>
                <Link to={`/conseil/votes/${v.id}`}>{v.title}</Link> —{" "}
                {v.closed ? "clos, résultats publiés" : v.open ? "ouvert" : "à venir"} (clôture le{" "}
                {v.closesAt})
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="sujets">
        <h2 id="sujets">{call ? call.title : "Appel à sujets"}</h2>
        {call ? (
          <p>
            {call.open ? "Ouvert" : "Propositions reçues"} du {call.opensAt} au {call.closesAt}{" "}
            (heure de Paris).
          </p>
        ) : (
          <p>Aucun appel à sujets n'est ouvert pour l'instant.</p>
        )}
        {canPropose && call ? (
          <p>
            <Link className="button" to={`/conseil/sujets/nouveau?appel=${call.id}`}>
              Proposer un sujet
            </Link>
          </p>
        ) : null}
        {call && kept.length === 0 ? <p>Aucun sujet proposé pour l'instant.</p> : null}
        <ul className="list-plain">
          {kept.map((t) => (
            <li key={t.id} className="card stack">
              <h3>
                <Link to={`/conseil/sujets/${t.id}`}>{t.title}</Link>
              </h3>
              <p className="muted">
                Proposé par {t.organisationName}
                {t.status === "selected" ? ` — ${councilTopicStatusLabels.selected}` : null}
              </p>
              <ThemeList themes={t.themes} />
            </li>
          ))}
        </ul>
        {merged.length > 0 ? (
          <>
            <h3>Sujets fusionnés</h3>
            <ul>
              {merged.map((t) => (
                <li key={t.id}>
                  <Link to={`/conseil/sujets/${t.id}`}>{t.title}</Link>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </div>
  );
}
