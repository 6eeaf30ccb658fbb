import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { Breadcrumb } from "~/components/breadcrumb";
import { EventForm } from "~/components/event-form";
import { Notice } from "~/components/notice";
import { scheduleMeeting } from "~/models/groups-outputs.server";
import { hasRole, requirePublisher } from "~/utils/auth.server";
import { submitNewEvent } from "~/utils/event-forms.server";
import { requireGroupRunner } from "~/utils/groups.server";

const timeZoneNote =
  "Heure locale du lieu : heure de Paris, ou l'heure locale pour une réunion outre-mer (déduite de la commune).";

export async function loader(args: LoaderFunctionArgs) {
  const { user, group } = await requireGroupRunner(args);
  return {
    group: { id: group.id, title: group.title, status: group.status },
    admin: hasRole(user, "admin"),
  };
}

/** A meeting is an event of the events domain, linked to the group; the model checks rights. */
export async function action(args: ActionFunctionArgs) {
  const user = requirePublisher(args);
  const groupId = args.params.id ?? "";
  return submitNewEvent(args.request, user, (input) => scheduleMeeting(user, groupId, input));
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Planifier une réunion — ${data.group.title}` : "Groupe de travail introuvable" },
];

export default function NewMeetingPage() {
  const { group, admin } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="narrow stack">
      <Breadcrumb
        trail={[
          { to: "/conseil/groupes", label: "Groupes de travail" },
          { to: `/conseil/groupes/${group.id}`, label: group.title },
        ]}
        current="Réunion"
      />
      <h1>Planifier une réunion du groupe</h1>
      <p>
        La réunion est un événement du réseau, en ligne ou sur place, affiché sur la page du groupe.
        Le lien de connexion n'est montré qu'aux personnes inscrites.
      </p>
      {group.status === "closed" ? (
        <Notice kind="info">Ce groupe est clos : il ne planifie plus de réunion.</Notice>
      ) : null}
      <EventForm
        lastResult={data?.result}
        candidates={data?.candidates}
        defaultValue={{
          status: "published",
          format: "en-ligne",
          title: `Réunion : ${group.title}`.slice(0, 160),
        }}
        showHost={admin}
        submitLabel="Planifier la réunion"
        timeZoneNote={timeZoneNote}
      />
    </div>
  );
}
