import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";

import type { Candidate } from "~/components/collectivity-picker";
import { EventForm } from "~/components/event-form";
import { approvedCollectivityOf } from "~/models/collectivities.server";
import { createEvent } from "~/models/event-editing.server";
import { hasRole, requirePublisher, requireRole } from "~/utils/auth.server";
import { eventInputFromForm, toFormErrors } from "~/utils/event-forms.server";
import { capacityRule, EventFormSchema } from "~/utils/event-schemas";
import { limitReached } from "~/utils/rate-limit.server";
import { formRateLimited } from "~/utils/replies.server";

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
  const admin = hasRole(user, "admin");
  const submission = parseWithZod(await args.request.formData(), { schema: EventFormSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply(), candidates: [] as Candidate[] }, { status: 400 });
  }
  const converted = await eventInputFromForm(submission.value, { admin });
  if (!converted.ok) {
    return json(
      {
        result: submission.reply({ fieldErrors: converted.fieldErrors }),
        candidates: converted.candidates,
      },
      { status: 400 },
    );
  }
  const limited = await limitReached("event-write", user.id);
  if (limited)
    return formRateLimited(limited, submission, { extra: { candidates: [] as Candidate[] } });
  const created = await createEvent(user, converted.input);
  if (!created.ok) {
    return json(
      {
        result: submission.reply({
          fieldErrors: toFormErrors(created.fieldErrors),
          formErrors: created.formError ? [created.formError] : undefined,
        }),
        candidates: [] as Candidate[],
      },
      { status: created.status === 422 ? 400 : created.status },
    );
  }
  return redirect(`/evenements/${created.value.slug}?inscription=cree`);
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
        <div className="alert alert--warning" role="status">
          Votre adhésion à une collectivité doit être validée avant de publier un événement en son
          nom.
        </div>
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
