import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import { EventForm } from "~/components/event-form";
import { Notice } from "~/components/notice";
import { approvedCollectivityOf } from "~/models/collectivities.server";
import { createEvent } from "~/models/event-editing.server";
import { hasRole, requirePublisher, requireRole } from "~/utils/auth.server";
import { submitNewEvent } from "~/utils/event-forms.server";
import { capacityRule } from "~/utils/event-schemas";

const timeZoneNote =
  "Heure locale du lieu : heure de Paris, ou l'heure locale pour un événement outre-mer (déduite de la commune).";

export async function loader(args: LoaderFunctionArgs) {
  const user = requireRole(args, "organiser");
  const admin = hasRole(user, "admin");
  const hostCode = await approvedCollectivityOf(user.id);
  return { admin, canHost: admin || Boolean(hostCode) };
}

export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args, "organiser");
  return submitNewEvent(args.request, user, (input) => createEvent(user, input));
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction = () => [{ title: "Créer un événement — Territoires Internet" }];

export default function NewEventPage() {
  const { admin, canHost } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="narrow stack">
      <p>
        <Link to="/evenements">← Événements</Link>
      </p>
      <h1>Créer un événement</h1>
      {!canHost ? (
        <Notice kind="warning">
          Votre adhésion à une collectivité doit être validée avant de publier un événement en son
          nom.
        </Notice>
      ) : null}
      <p className="muted">{capacityRule}</p>
      <EventForm
        lastResult={data?.result}
        candidates={data?.candidates}
        defaultValue={{ status: "published", format: "presentiel" }}
        showHost={admin}
        submitLabel="Enregistrer l'événement"
        timeZoneNote={timeZoneNote}
      />
    </div>
  );
}
