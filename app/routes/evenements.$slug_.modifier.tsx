import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import type { Candidate } from "~/components/collectivity-picker";
import { EventForm } from "~/components/event-form";
import { Notice } from "~/components/notice";
import { updateEvent } from "~/models/event-editing.server";
import { toLocalInputs } from "~/models/events.server";
import { zoneLabel } from "~/utils/dates";
import { eventInputFromForm, toFormErrors } from "~/utils/event-forms.server";
import { requireManagedEvent } from "~/utils/event-pages.server";
import { capacityRule, EventEditFormSchema, programmeToText } from "~/utils/event-schemas";
import { limitReached } from "~/utils/rate-limit.server";
import { formRateLimited, refusedReply, refusedStatus } from "~/utils/replies.server";

const forbidden = "Seuls les organisateurs de cet événement peuvent le modifier.";

export async function loader(args: LoaderFunctionArgs) {
  const { event } = await requireManagedEvent(args, forbidden);
  const local = toLocalInputs(event);
  return {
    event: { slug: event.slug, title: event.title, status: event.status, timeZone: event.timeZone },
    version: event.sequence,
    defaults: {
      title: event.title,
      description: event.description,
      themes: event.themes,
      format: event.format,
      ...local,
      venue: event.venue,
      commune: event.communeCode ? `${event.communeName} (${event.communeCode})` : "",
      onlineUrl: event.onlineUrl ?? "",
      capacity: event.capacity === null ? "" : String(event.capacity),
      programme: programmeToText(event.programme, local.startsAt.slice(0, 10)),
      initiativeIds: event.initiativeIds.join(", "),
      status: event.status === "published" ? "published" : "draft",
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, event } = await requireManagedEvent(args, forbidden);
  // The version the next save is based on: after a 409, the one the organiser has now seen.
  const data = { candidates: [] as Candidate[], version: event.sequence };
  const submission = parseWithZod(await args.request.formData(), { schema: EventEditFormSchema });
  if (submission.status !== "success") {
    return json({ ...data, result: submission.reply() }, { status: 400 });
  }
  const converted = await eventInputFromForm(submission.value, { admin: false });
  if (!converted.ok) {
    return json(
      {
        ...data,
        result: submission.reply({ fieldErrors: converted.fieldErrors }),
        candidates: converted.candidates,
      },
      { status: 400 },
    );
  }
  const limited = await limitReached("event-write", user.id);
  if (limited) return formRateLimited(limited, submission, { extra: data });
  const { collectivityCode: _host, ...input } = converted.input;
  const updated = await updateEvent(user, event.id, input, { version: submission.value.version });
  if (!updated.ok) {
    return json(
      {
        ...data,
        result: refusedReply(submission, {
          ...updated,
          fieldErrors: toFormErrors(updated.fieldErrors),
        }),
      },
      { status: refusedStatus(updated.status) },
    );
  }
  return redirect(`/evenements/${event.slug}?inscription=modifie`);
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Modifier « ${data.event.title} » — Territoires Internet` : "Événement" },
];

export default function EditEventPage() {
  const { event, defaults, version } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="narrow stack">
      <p>
        <Link to={`/evenements/${event.slug}`}>← Retour à l'événement</Link>
      </p>
      <h1>Modifier « {event.title} »</h1>
      {event.status === "cancelled" ? (
        <Notice kind="warning">Cet événement est annulé : il ne peut plus être modifié.</Notice>
      ) : null}
      <Notice kind="info">
        <p>
          <strong>Jauge :</strong> {capacityRule}
        </p>
        <p>
          Chaque modification est transmise aux agendas abonnés. Les heures se saisissent en{" "}
          {zoneLabel(event.timeZone)}.
        </p>
      </Notice>
      <EventForm
        lastResult={data?.result}
        candidates={data?.candidates}
        defaultValue={defaults}
        version={data?.version ?? version}
        showHost={false}
        submitLabel="Enregistrer les modifications"
        timeZoneNote={`Heure locale du lieu (${zoneLabel(event.timeZone)} actuellement ; elle suit la commune choisie).`}
      />
    </div>
  );
}
