import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { AttendeeTable } from "~/components/event-attendee-table";
import { ErrorList, Field, FormErrors, RadioGroup, TextareaField } from "~/components/forms";
import { Notice } from "~/components/notice";
import { cancelEvent, updateEvent } from "~/models/event-editing.server";
import { placesLeft } from "~/models/event-places.server";
import { listAttendees, messageAttendees } from "~/models/event-registrations.server";
import { addOrganiser, listOrganisers } from "~/models/events.server";
import { requireManagedEvent } from "~/utils/event-pages.server";
import {
  AddOrganiserSchema,
  CancelEventSchema,
  capacityRule,
  CapacityFormSchema,
  EventMessageSchema,
} from "~/utils/event-schemas";
import { consume } from "~/utils/rate-limit.server";
import { submitForm } from "~/utils/replies.server";

const forbidden = "Seuls les organisateurs de cet événement peuvent le gérer.";

export async function loader(args: LoaderFunctionArgs) {
  const { user, event } = await requireManagedEvent(args, forbidden);
  const [attendees, organisers] = await Promise.all([
    listAttendees(user, event.id),
    listOrganisers(event.id),
  ]);
  return {
    event: {
      id: event.id,
      slug: event.slug,
      title: event.title,
      status: event.status,
      capacity: event.capacity,
      confirmed: event.confirmed,
      waitlisted: event.waitlisted,
      timeZone: event.timeZone,
      placesLeft: placesLeft(event),
      version: event.sequence,
    },
    attendees: attendees ?? [],
    organisers: organisers.map((o) => ({ id: o.id, name: o.name })),
  };
}

/** Each form is told apart by its `intent`; errors come back next to its fields, values kept. */
export async function action(args: ActionFunctionArgs) {
  const { user, event } = await requireManagedEvent(args, forbidden);
  const formData = await args.request.formData();
  const intent = String(formData.get("intent") ?? "");
  const extra = { intent, version: event.sequence };
  const back = (notice: string) => `/evenements/${event.slug}/gestion?${notice}`;

  if (intent === "message") {
    return submitForm(
      formData,
      EventMessageSchema,
      async ({ intent: _intent, ...message }) => {
        await consume("event-message", event.id);
        return messageAttendees(user, event.id, message);
      },
      { done: (sent) => back(`envoye=${sent.sent}`), extra },
    );
  }
  if (intent === "capacity") {
    return submitForm(
      formData,
      CapacityFormSchema,
      async ({ capacity, version }) => {
        await consume("event-write", user.id);
        return updateEvent(user, event.id, { capacity: capacity ?? null }, { version });
      },
      { done: () => back("jauge=1"), extra },
    );
  }
  if (intent === "add-organiser") {
    return submitForm(
      formData,
      AddOrganiserSchema,
      ({ email }) => addOrganiser(user, event.id, email),
      { done: () => back("organisateur=1"), extra },
    );
  }
  return submitForm(formData, CancelEventSchema, () => cancelEvent(user, event.id), {
    done: () => back("annule=1"),
    extra,
  });
}

export { keepActionHeaders as headers } from "~/utils/headers";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Gestion de « ${data.event.title} » — Territoires Internet` : "Événement" },
];

export default function ManageEventPage() {
  const { event, attendees, organisers } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const resultFor = (intent: string) => (data?.intent === intent ? data.result : undefined);
  const [messageForm, messageFields] = useForm({
    id: "message",
    lastResult: resultFor("message"),
    defaultValue: { audience: "confirmed" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EventMessageSchema }),
  });
  const capacityDefault: { capacity?: string } = {
    capacity: event.capacity === null ? "" : String(event.capacity),
  };
  const [capacityForm, capacityFields] = useForm({
    id: "jauge",
    lastResult: resultFor("capacity"),
    defaultValue: capacityDefault,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CapacityFormSchema }),
  });
  const [organiserForm, organiserFields] = useForm({
    id: "organisateur",
    lastResult: resultFor("add-organiser"),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AddOrganiserSchema }),
  });
  const [cancelForm, cancelFields] = useForm({
    id: "annulation",
    lastResult: resultFor("cancel-event"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CancelEventSchema }),
  });
  const confirmed = attendees.filter((a) => a.status === "confirmed");
  const waiting = attendees.filter((a) => a.status === "waitlisted");
  const sent = params.get("envoye");
  const notice =
    sent !== null
      ? `Message envoyé à ${sent} personne${Number(sent) > 1 ? "s" : ""} (notification dans le site).`
      : params.get("annule")
        ? "L'événement est annulé ; les personnes inscrites sont prévenues et les agendas abonnés mis à jour."
        : params.get("organisateur")
          ? "Co-organisateur ou co-organisatrice ajouté·e."
          : params.get("jauge")
            ? "La jauge est enregistrée."
            : null;
  const confirmProps = getInputProps(cancelFields.confirm, { type: "checkbox" });
  return (
    <div className="container stack">
      <p>
        <Link to={`/evenements/${event.slug}`}>← Retour à l'événement</Link>
      </p>
      <h1>Gestion de « {event.title} »</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}

      <section className="card stack" aria-labelledby="inscrits">
        <h2 id="inscrits">Personnes inscrites</h2>
        <p>
          {event.confirmed} confirmée{event.confirmed > 1 ? "s" : ""}
          {event.capacity !== null ? ` sur ${event.capacity} places` : " (jauge illimitée)"},{" "}
          {event.waitlisted} en liste d'attente.{" "}
          <a href={`/evenements/${event.slug}/participants.csv`}>Exporter la liste (CSV)</a>
        </p>
        <Notice kind="info">
          <p>
            <strong>Règle de la jauge :</strong> {capacityRule}
          </p>
        </Notice>
        <AttendeeTable title="Confirmées" rows={confirmed} timeZone={event.timeZone} />
        <AttendeeTable
          title="Liste d'attente (dans l'ordre)"
          rows={waiting}
          timeZone={event.timeZone}
        />
        {event.status !== "cancelled" ? (
          <Form method="post" className="stack" {...getFormProps(capacityForm)} noValidate>
            <FormErrors errors={capacityForm.errors} id={capacityForm.errorId} />
            <input type="hidden" name="intent" value="capacity" />
            <input type="hidden" name="version" value={data?.version ?? event.version} />
            <Field
              label="Jauge"
              meta={capacityFields.capacity}
              type="number"
              hint="Nombre de places ; laissez vide pour un nombre illimité."
            />
            <div>
              <button type="submit" className="secondary">
                Enregistrer la jauge
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="message-titre">
        <h2 id="message-titre">Écrire aux personnes inscrites</h2>
        <p>Le message arrive dans leurs notifications sur le site.</p>
        <Form
          method="post"
          className="stack"
          {...getFormProps(messageForm)}
          noValidate
          data-brouillon="message-inscrits"
        >
          <FormErrors errors={messageForm.errors} id={messageForm.errorId} />
          <input type="hidden" name="intent" value="message" />
          <Field label="Objet" meta={messageFields.subject} />
          <TextareaField label="Message" meta={messageFields.body} rows={5} />
          <RadioGroup
            legend="Destinataires"
            meta={messageFields.audience}
            options={[
              { value: "confirmed", label: "Les personnes confirmées" },
              { value: "all", label: "Tout le monde, liste d'attente comprise" },
            ]}
          />
          <div>
            <button type="submit">Envoyer</button>
          </div>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="organisation">
        <h2 id="organisation">Organisation</h2>
        <ul>
          {organisers.map((o) => (
            <li key={o.id}>{o.name}</li>
          ))}
        </ul>
        <Form method="post" className="stack" {...getFormProps(organiserForm)} noValidate>
          <FormErrors errors={organiserForm.errors} id={organiserForm.errorId} />
          <input type="hidden" name="intent" value="add-organiser" />
          <Field
            label="Adresse d'un·e co-organisateur·rice"
            meta={organiserFields.email}
            type="email"
            hint="La personne doit avoir le rôle d'organisateur sur le site."
          />
          <div>
            <button type="submit" className="secondary">
              Ajouter
            </button>
          </div>
        </Form>
      </section>

      {event.status !== "cancelled" ? (
        <section className="card stack" aria-labelledby="annuler">
          <h2 id="annuler">Annuler l'événement</h2>
          <p>
            Les inscriptions ferment, chaque personne inscrite reçoit une notification et les
            agendas abonnés affichent l'événement comme annulé. Cette action est définitive.
          </p>
          <Form method="post" className="stack" {...getFormProps(cancelForm)} noValidate>
            <FormErrors errors={cancelForm.errors} id={cancelForm.errorId} />
            <input type="hidden" name="intent" value="cancel-event" />
            <div className="choices">
              <label>
                <input {...confirmProps} key={confirmProps.key} />
                Je confirme l'annulation de cet événement
              </label>
            </div>
            <ErrorList id={cancelFields.confirm.errorId} errors={cancelFields.confirm.errors} />
            <div>
              <button type="submit" className="danger">
                Annuler l'événement
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
