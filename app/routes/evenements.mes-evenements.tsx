import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { EventCard } from "~/components/event-card";
import { Notice } from "~/components/notice";
import {
  createCalendarToken,
  hasCalendarToken,
  revokeCalendarToken,
} from "~/models/event-calendar.server";
import { placesLeft } from "~/models/event-places.server";
import { myEvents, organisedEvents } from "~/models/events.server";
import { hasRole, requireUser } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { z } from "~/utils/validation";

const IntentSchema = z.object({ intent: z.enum(["create-calendar", "revoke-calendar"]) });

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const [registered, organised, calendarSince] = await Promise.all([
    myEvents(user.id),
    hasRole(user, "organiser") ? organisedEvents(user.id) : Promise.resolve([]),
    hasCalendarToken(user.id),
  ]);
  const withPlaces = <T extends { capacity: number | null; confirmed: number }>(items: T[]) =>
    items.map((e) => ({ ...e, placesLeft: placesLeft(e) }));
  return {
    registered: withPlaces(registered),
    organised: withPlaces(organised),
    calendarSince,
    organiser: hasRole(user, "organiser"),
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const parsed = IntentSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success)
    return json({ calendarUrl: null, error: "Action invalide." }, { status: 400 });
  if (parsed.data.intent === "revoke-calendar") {
    await revokeCalendarToken(user.id);
    return redirect("/evenements/mes-evenements?agenda=revoque");
  }
  const token = await createCalendarToken(user.id);
  const origin = new URL(args.request.url).origin;
  // Shown once: only its hash is kept.
  return json({ calendarUrl: `${origin}/evenements/calendrier.ics?jeton=${token}`, error: null });
}

export const meta: MetaFunction = () => [{ title: "Mes événements — Territoires Internet" }];

export default function MyEventsPage() {
  const { registered, organised, calendarSince, organiser } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <div className="container stack">
      <p>
        <Link to="/evenements">← Tous les événements</Link>
      </p>
      <h1>Mes événements</h1>
      {data?.error ? <Notice kind="error">{data.error}</Notice> : null}

      <section className="stack" aria-labelledby="inscriptions">
        <h2 id="inscriptions">Mes inscriptions à venir</h2>
        {registered.length === 0 ? (
          <p>
            Aucune inscription pour l'instant.{" "}
            <Link to="/evenements">Parcourez les événements</Link> du réseau.
          </p>
        ) : (
          <ul className="list-plain">
            {registered.map((event) => (
              <li key={event.id} className="stack">
                <EventCard event={event} />
                <p className="muted">
                  {event.myStatus === "confirmed"
                    ? "Inscription confirmée."
                    : "Sur liste d'attente : vous serez notifié·e si une place se libère."}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack" aria-labelledby="agenda">
        <h2 id="agenda">Mon agenda personnel</h2>
        <p>
          Abonnez votre agenda (Thunderbird, Outlook, agenda du téléphone…) à une adresse secrète
          qui contient les événements auxquels vous êtes inscrit·e, avec les liens de connexion. Ne
          la partagez pas ; vous pouvez la révoquer à tout moment.
        </p>
        {data?.calendarUrl ? (
          <Notice kind="success">
            <p>Voici votre adresse ; copiez-la maintenant, elle ne sera plus affichée :</p>
            <p>
              <code className="token">{data.calendarUrl}</code>
            </p>
          </Notice>
        ) : calendarSince ? (
          <p>Une adresse est active depuis le {formatDateTime(calendarSince)}.</p>
        ) : null}
        <div className="actions">
          <Form method="post">
            <input type="hidden" name="intent" value="create-calendar" />
            <button type="submit">
              {calendarSince
                ? "Créer une nouvelle adresse (l'ancienne cesse de fonctionner)"
                : "Créer mon adresse d'agenda"}
            </button>
          </Form>
          {calendarSince ? (
            <Form method="post">
              <input type="hidden" name="intent" value="revoke-calendar" />
              <button type="submit" className="secondary">
                Révoquer l'adresse
              </button>
            </Form>
          ) : null}
        </div>
      </section>

      {organiser ? (
        <section className="stack" aria-labelledby="organises">
          <h2 id="organises">Événements que j'organise</h2>
          {organised.length === 0 ? (
            <p>
              Aucun pour l'instant. <Link to="/evenements/nouveau">Créez un événement</Link>.
            </p>
          ) : (
            <ul className="list-plain">
              {organised.map((event) => (
                <li key={event.id}>
                  <EventCard event={event} />
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
