import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { EventForm } from "~/components/event-form";
import { Notice } from "~/components/notice";
import { createStage } from "~/models/event-series-writes.server";
import { findSeries, hostOfViewer } from "~/models/event-series.server";
import { hasRole, requirePublisher, requireUser } from "~/utils/auth.server";
import { submitNewEvent } from "~/utils/event-forms.server";
import { capacityRule } from "~/utils/event-schemas";
import { invariantResponse } from "~/utils/replies.server";

const timeZoneNote =
  "Heure locale du lieu : heure de Paris, ou l'heure locale pour une étape outre-mer (déduite de la commune).";

async function seriesOf(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const series = await findSeries({ slug: args.params.slug ?? "" }, user);
  invariantResponse(series, "Cycle d'événements introuvable.");
  return { user, series };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, series } = await seriesOf(args);
  const admin = hasRole(user, "admin");
  const host = await hostOfViewer(series, user);
  return {
    series: { slug: series.slug, title: series.title },
    admin,
    host: host
      ? { name: host.collectivityName, status: host.status, stageSlug: host.stageSlug }
      : null,
  };
}

/** Creates the stage of the viewer's host collectivity; the model checks the invitation. */
export async function action(args: ActionFunctionArgs) {
  requirePublisher(args);
  const { user, series } = await seriesOf(args);
  return submitNewEvent(args.request, user, (input) => createStage(user, series.id, input));
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Créer une étape de « ${data.series.title} » — Territoires Internet`
      : "Cycle d'événements introuvable",
  },
];

export default function NewStagePage() {
  const { series, admin, host } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const canCreate = admin || (host?.status === "accepted" && !host.stageSlug);
  return (
    <div className="narrow stack">
      <p>
        <Link to={`/evenements/series/${series.slug}`}>← {series.title}</Link>
      </p>
      <h1>Créer une étape de « {series.title} »</h1>
      {host?.stageSlug && !admin ? (
        <Notice kind="info">
          {host.name} a déjà son étape dans ce cycle :{" "}
          <Link to={`/evenements/${host.stageSlug}/modifier`}>modifier l'étape</Link>.
        </Notice>
      ) : !canCreate ? (
        <Notice kind="warning">
          Seuls les membres validés d'une collectivité hôte, dont le ou la référente a accepté
          l'invitation, créent une étape de ce cycle.
        </Notice>
      ) : (
        <>
          <p>
            L'étape est un événement de {admin ? "la collectivité hôte choisie" : host?.name} : vous
            en serez l'organisateur ou l'organisatrice, avec ses inscriptions et sa jauge.
          </p>
          <p className="muted">{capacityRule}</p>
          <EventForm
            lastResult={data?.result}
            candidates={data?.candidates}
            defaultValue={{ status: "published", format: "presentiel", title: series.title }}
            showHost={admin}
            submitLabel="Enregistrer l'étape"
            timeZoneNote={timeZoneNote}
          />
        </>
      )}
    </div>
  );
}
