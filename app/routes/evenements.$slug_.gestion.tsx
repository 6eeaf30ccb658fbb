import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";

import { cancelEvent } from "~/models/event-editing.server";
import { listAttendees, messageAttendees } from "~/models/event-registrations.server";
import { placesLeft } from "~/models/event-waitlist.server";
import { addOrganiser, getEvent, listOrganisers } from "~/models/events.server";
import { requireUser } from "~/utils/auth.server";
import { formatInZone } from "~/utils/dates";
import { capacityRule } from "~/utils/event-schemas";
import { z } from "~/utils/validation";

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("message"),
    subject: z
      .string({ error: "L'objet est requis." })
      .trim()
      .min(3, "L'objet doit compter au moins 3 caractères.")
      .max(120, "L'objet ne peut pas dépasser 120 caractères."),
    body: z
      .string({ error: "Le message est requis." })
      .trim()
      .min(5, "Le message doit compter au moins 5 caractères.")
      .max(5_000, "Le message ne peut pas dépasser 5 000 caractères."),
    audience: z.enum(["confirmed", "all"], { error: "Choisissez les destinataires." }),
  }),
  z.object({
    intent: z.literal("cancel-event"),
    confirm: z.literal("on", { error: "Cochez la case pour confirmer l'annulation." }),
  }),
  z.object({
    intent: z.literal("add-organiser"),
    email: z.string().trim().email("Adresse électronique invalide.").max(254),
  }),
]);

type ActionData = { fields: Record<string, string[]>; error: string | null };
const reply = (data: ActionData, status: number) => json(data, { status });

async function manageable(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const event = await getEvent({ slug: args.params.slug ?? "" }, user);
  if (!event) throw new Response("Événement introuvable.", { status: 404 });
  if (!event.canManage) {
    throw new Response("Seuls les organisateurs de cet événement peuvent le gérer.", {
      status: 403,
    });
  }
  return { user, event };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, event } = await manageable(args);
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
    },
    attendees: attendees ?? [],
    organisers: organisers.map((o) => ({ id: o.id, name: o.name })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, event } = await manageable(args);
  const parsed = IntentSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues)
      (fields[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
    return reply({ fields, error: null }, 400);
  }
  const input = parsed.data;
  if (input.intent === "message") {
    const result = await messageAttendees(user, event.id, input);
    if (!result.ok)
      return reply({ fields: {}, error: result.formError ?? "Envoi impossible." }, result.status);
    return redirect(`/evenements/${event.slug}/gestion?envoye=${result.value.sent}`);
  }
  if (input.intent === "add-organiser") {
    const result = await addOrganiser(user, event.id, input.email);
    if (!result.ok)
      return reply({ fields: result.fieldErrors, error: result.formError ?? null }, 400);
    return redirect(`/evenements/${event.slug}/gestion?organisateur=1`);
  }
  const result = await cancelEvent(user, event.id);
  if (!result.ok)
    return reply(
      { fields: {}, error: result.formError ?? "Annulation impossible." },
      result.status,
    );
  return redirect(`/evenements/${event.slug}/gestion?annule=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Gestion de « ${data.event.title} » — Territoires Internet` : "Événement" },
];

export default function ManageEventPage() {
  const { event, attendees, organisers } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const confirmed = attendees.filter((a) => a.status === "confirmed");
  const waiting = attendees.filter((a) => a.status === "waitlisted");
  const sent = params.get("envoye");
  const fieldError = (name: string) =>
    data?.fields[name]?.map((message) => (
      <p key={message} className="field-error" id={`${name}-error`}>
        {message}
      </p>
    ));
  return (
    <div className="container stack">
      <p>
        <Link to={`/evenements/${event.slug}`}>← Retour à l'événement</Link>
      </p>
      <h1>Gestion de « {event.title} »</h1>
      {sent !== null ? (
        <div className="alert alert--success" role="status">
          Message envoyé à {sent} personne{Number(sent) > 1 ? "s" : ""} (notification dans le site).
        </div>
      ) : null}
      {params.get("annule") ? (
        <div className="alert alert--success" role="status">
          L'événement est annulé ; les personnes inscrites sont prévenues et les agendas abonnés mis
          à jour.
        </div>
      ) : null}
      {params.get("organisateur") ? (
        <div className="alert alert--success" role="status">
          Co-organisateur ou co-organisatrice ajouté·e.
        </div>
      ) : null}
      {data?.error ? (
        <div className="alert alert--error" role="alert">
          {data.error}
        </div>
      ) : null}

      <section className="card stack" aria-labelledby="inscrits">
        <h2 id="inscrits">Personnes inscrites</h2>
        <p>
          {event.confirmed} confirmée{event.confirmed > 1 ? "s" : ""}
          {event.capacity !== null ? ` sur ${event.capacity} places` : " (jauge illimitée)"},{" "}
          {event.waitlisted} en liste d'attente.{" "}
          <a href={`/evenements/${event.slug}/participants.csv`}>Exporter la liste (CSV)</a>
        </p>
        <div className="alert alert--info">
          <p>
            <strong>Règle de la jauge :</strong> {capacityRule}
          </p>
        </div>
        <AttendeeTable title="Confirmées" rows={confirmed} timeZone={event.timeZone} />
        <AttendeeTable
          title="Liste d'attente (dans l'ordre)"
          rows={waiting}
          timeZone={event.timeZone}
        />
      </section>

      <section className="card stack" aria-labelledby="message">
        <h2 id="message">Écrire aux personnes inscrites</h2>
        <p>Le message arrive dans leurs notifications sur le site.</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="message" />
          <div className="field">
            <label htmlFor="subject">Objet</label>
            <input
              id="subject"
              name="subject"
              maxLength={120}
              aria-invalid={data?.fields.subject ? true : undefined}
              aria-describedby={data?.fields.subject ? "subject-error" : undefined}
            />
            {fieldError("subject")}
          </div>
          <div className="field">
            <label htmlFor="body">Message</label>
            <textarea
              id="body"
              name="body"
              rows={5}
              aria-invalid={data?.fields.body ? true : undefined}
              aria-describedby={data?.fields.body ? "body-error" : undefined}
            />
            {fieldError("body")}
          </div>
          <fieldset className="field">
            <legend>Destinataires</legend>
            <div className="choices">
              <label>
                <input type="radio" name="audience" value="confirmed" defaultChecked />
                Les personnes confirmées
              </label>
              <label>
                <input type="radio" name="audience" value="all" />
                Tout le monde, liste d'attente comprise
              </label>
            </div>
          </fieldset>
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
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="add-organiser" />
          <div className="field">
            <label htmlFor="organiser-email">Adresse d'un·e co-organisateur·rice</label>
            <span className="hint" id="organiser-email-hint">
              La personne doit avoir le rôle d'organisateur sur le site.
            </span>
            <input
              id="organiser-email"
              name="email"
              type="email"
              aria-describedby={`organiser-email-hint${data?.fields.email ? " email-error" : ""}`}
              aria-invalid={data?.fields.email ? true : undefined}
            />
            {fieldError("email")}
          </div>
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
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="cancel-event" />
            <div className="choices">
              <label>
                <input
                  type="checkbox"
                  name="confirm"
                  aria-invalid={data?.fields.confirm ? true : undefined}
                  aria-describedby={data?.fields.confirm ? "confirm-error" : undefined}
                />
                Je confirme l'annulation de cet événement
              </label>
            </div>
            {fieldError("confirm")}
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

function AttendeeTable({
  title,
  rows,
  timeZone,
}: {
  title: string;
  rows: Array<{
    userId: string;
    name: string;
    email: string;
    jobTitle: string;
    collectivityName: string | null;
    position: number | null;
    showPublicly: boolean;
    registeredAt: string;
  }>;
  timeZone: string;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption>
          {title} ({rows.length})
        </caption>
        <thead>
          <tr>
            {rows.some((r) => r.position !== null) ? <th scope="col">Rang</th> : null}
            <th scope="col">Nom</th>
            <th scope="col">Fonction et collectivité</th>
            <th scope="col">Adresse</th>
            <th scope="col">Inscription</th>
            <th scope="col">Liste publique</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={6}>Personne pour l'instant.</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.userId}>
                {row.position !== null ? <td>{row.position}</td> : null}
                <td>{row.name}</td>
                <td>
                  {row.jobTitle}
                  {row.collectivityName ? ` — ${row.collectivityName}` : ""}
                </td>
                <td>{row.email}</td>
                <td>{formatInZone(row.registeredAt, timeZone)}</td>
                <td>{row.showPublicly ? "oui" : "non"}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
