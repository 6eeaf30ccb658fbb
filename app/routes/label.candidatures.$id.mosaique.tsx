import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { MosaicChart } from "~/components/label-mosaic";
import { Notice } from "~/components/notice";
import { selfEvaluation } from "~/models/label-evaluation.server";
import styles from "~/styles/label.css";
import { requireUser } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/replies.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const evaluation = await selfEvaluation(user, args.params.id ?? "");
  invariantResponse(evaluation, "Dossier introuvable.");
  return {
    id: evaluation.application.id,
    year: evaluation.application.campaign.year,
    collectivityName: evaluation.application.collectivityName,
    sections: evaluation.sections,
    overall: evaluation.overall,
    indicativeLevel: evaluation.indicativeLevel,
    comparison: evaluation.comparison,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Mosaïque des enjeux — ${data.collectivityName} — Territoires Internet`
      : "Mosaïque des enjeux",
  },
];

const percent = (value: number | null) =>
  value === null ? "—" : `${value.toLocaleString("fr-FR", { maximumFractionDigits: 1 })} %`;

export default function MosaicPage() {
  const data = useLoaderData<typeof loader>();
  const { comparison } = data;
  return (
    <div className="container stack">
      <Breadcrumb
        trail={[
          { to: "/label", label: "Label" },
          { to: `/label/candidatures/${data.id}`, label: `Dossier ${data.year}` },
        ]}
        current="Mosaïque des enjeux"
      />
      <h1>Mosaïque des enjeux</h1>
      <p className="lead">
        Où en est {data.collectivityName}, enjeu par enjeu : un score indicatif calculé à partir de
        vos réponses actuelles. Le niveau final est décidé par le jury.
      </p>
      <ul className="figures">
        <li>
          <strong>{percent(data.overall.score)}</strong> score global indicatif
        </li>
        <li>
          <strong>{data.indicativeLevel > 0 ? `${data.indicativeLevel} @` : "—"}</strong> niveau
          indicatif
        </li>
        {comparison.shown ? (
          <li>
            <strong>{percent(data.overall.median)}</strong> médiane des collectivités comparables
          </li>
        ) : null}
      </ul>
      {comparison.shown ? (
        <p>
          Comparaison avec {comparison.size} collectivités comparables ({comparison.group}) au label{" "}
          {comparison.year} : leurs scores au dépôt du dossier, sans qu'aucune ne soit identifiable.
        </p>
      ) : (
        <Notice kind="info">{comparison.reason}</Notice>
      )}
      <MosaicChart
        figures={data.sections}
        comparison={comparison.shown}
        caption={`Scores par enjeu de ${data.collectivityName}${comparison.shown ? " et des collectivités comparables" : ""}`}
      />
    </div>
  );
}
