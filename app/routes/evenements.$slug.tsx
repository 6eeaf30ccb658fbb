import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { useEffect, useState } from "react";

import { PlacesLeft } from "~/components/event-card";
import { ThemeChip } from "~/components/initiative-card";
import { MemberChip } from "~/components/member-chip";
import {
  cancelRegistration,
  publicAttendees,
  register,
  setShowPublicly,
} from "~/models/event-registrations.server";
import { myRegistration, placesLeft } from "~/models/event-waitlist.server";
import {
  getEvent,
  listOrganisers,
  presentedInitiatives,
  registrationClosesAt,
} from "~/models/events.server";
import { requireUser } from "~/utils/auth.server";
import { differsFromParis, formatInZone, formatRange, PARIS, zoneLabel } from "~/utils/dates";
import { formatLabels } from "~/utils/event-schemas";
import { renderMarkdown } from "~/utils/markdown.server";
import { consume, RateLimitedError, retryAfterMessage } from "~/utils/rate-limit.server";
import { z } from "~/utils/validation";

import type { EventPlaces } from "../../realtime/protocol";

const IntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("register"), showPublicly: z.literal("on").optional() }),
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("visibility"), showPublicly: z.literal("on").optional() }),
]);

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const event = await getEvent({ slug: params.slug ?? "" }, viewer);
  if (!event) throw new Response("Événement introuvable.", { status: 404 });
  const [attendees, organisers, initiatives] = await Promise.all([
    publicAttendees(event.id),
    listOrganisers(event.id),
    presentedInitiatives(event.initiativeIds),
  ]);
  const closesAt = registrationClosesAt(event);
  return {
    event: {
      ...event,
      descriptionHtml: renderMarkdown(event.description),
      placesLeft: placesLeft(event),
      closesAt,
      open: event.status === "published" && Date.now() < closesAt.getTime(),
    },
    attendees,
    initiatives,
    organisers: organisers.map(({ name, jobTitle, profileKind }) => ({
      name,
      jobTitle,
      profileKind,
    })),
    signedIn: Boolean(viewer),
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = requireUser(args);
  const slug = args.params.slug ?? "";
  const event = await getEvent({ slug }, user);
  if (!event) throw new Response("Événement introuvable.", { status: 404 });
  const parsed = IntentSchema.safeParse(Object.fromEntries(await args.request.formData()));
  if (!parsed.success) return json({ error: "Action invalide." }, { status: 400 });
  const input = parsed.data;
  if (input.intent === "register") {
    try {
      await consume("event-registration", user.id);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      return json(
        { error: retryAfterMessage(error.retryAfterSeconds) },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    const result = await register(user, event.id, { showPublicly: input.showPublicly === "on" });
    // A double submit finds the first registration: same page, nothing created twice.
    const existing = result.ok ? null : await myRegistration(event.id, user.id);
    if (!result.ok && !existing) {
      return json(
        { error: result.formError ?? "Inscription impossible." },
        { status: result.status },
      );
    }
    const status = result.ok ? result.value.status : existing?.status;
    return redirect(
      `/evenements/${slug}?inscription=${status === "confirmed" ? "confirmee" : "attente"}`,
    );
  }
  if (input.intent === "cancel") {
    const result = await cancelRegistration(user, event.id);
    if (!result.ok && (await myRegistration(event.id, user.id))) {
      return json(
        { error: result.formError ?? "Annulation impossible." },
        { status: result.status },
      );
    }
    return redirect(`/evenements/${slug}?inscription=annulee`);
  }
  await setShowPublicly(user.id, event.id, input.showPublicly === "on");
  return redirect(`/evenements/${slug}?inscription=visibilite`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.event.title} — Événements — Territoires Internet`
      : "Événement introuvable",
  },
];

const notices: Record<string, string> = {
  confirmee: "Votre inscription est confirmée.",
  attente:
    "L'événement est complet : vous êtes sur la liste d'attente. Vous serez notifié·e si une place se libère.",
  annulee: "Votre inscription est annulée.",
  visibilite: "Votre choix d'apparaître dans la liste publique est enregistré.",
  cree: "L'événement est enregistré.",
  modifie: "Les modifications sont enregistrées.",
};

/** Follows the places left over socket.io (signed-in visitors); the page stays right without it. */
function useLivePlaces(eventId: string, initial: EventPlaces, enabled: boolean) {
  const [places, setPlaces] = useState(initial);
  const [live, setLive] = useState(false);
  // A new loader result (after an action) resets the count; compared by value, not identity.
  const { placesLeft, confirmed, waitlisted } = initial;
  useEffect(
    () => setPlaces({ eventId, placesLeft, confirmed, waitlisted }),
    [eventId, placesLeft, confirmed, waitlisted],
  );
  useEffect(() => {
    if (!enabled) return;
    let closed = false;
    let disconnect = () => {};
    void import("socket.io-client").then(({ io }) => {
      if (closed) return;
      const socket = io({ transports: ["websocket"], withCredentials: true });
      const watch = () =>
        socket.emit(
          "event:watch",
          { eventId },
          (result: { ok: boolean } & Partial<EventPlaces>) => {
            if (!result.ok) return;
            setPlaces(result as EventPlaces);
            setLive(true);
          },
        );
      socket.on("connect", watch);
      socket.on("disconnect", () => setLive(false));
      socket.on("event:places", (payload: EventPlaces) => {
        if (payload.eventId === eventId) setPlaces(payload);
      });
      disconnect = () => socket.disconnect();
    });
    return () => {
      closed = true;
      disconnect();
    };
  }, [eventId, enabled]);
  return { places, live };
}

export default function EventPage() {
  const { event, attendees, organisers, initiatives, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const notice = notices[params.get("inscription") ?? ""];
  const { places, live } = useLivePlaces(
    event.id,
    {
      eventId: event.id,
      placesLeft: event.placesLeft,
      confirmed: event.confirmed,
      waitlisted: event.waitlisted,
    },
    signedIn && event.status === "published",
  );
  const zone = event.timeZone;
  const showParis = differsFromParis(event.startsAt, zone);
  const registration = event.registration;
  const busy = navigation.state === "submitting";
  return (
    <div className="container stack">
      <p>
        <Link to="/evenements">← Tous les événements</Link>
      </p>
      {notice ? (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      ) : null}
      {actionData?.error ? (
        <div className="alert alert--error" role="alert">
          {actionData.error}
        </div>
      ) : null}
      {event.status === "cancelled" ? (
        <div className="alert alert--error" role="status">
          Cet événement est annulé. Les inscriptions sont fermées.
        </div>
      ) : null}
      {event.status === "draft" ? (
        <div className="alert alert--info" role="status">
          Brouillon : seuls les organisateurs voient cette page.
        </div>
      ) : null}
      <h1>{event.title}</h1>
      <div className="actions">
        {event.themes.map((slug) => (
          <ThemeChip key={slug} slug={slug} />
        ))}
      </div>
      <section className="card" aria-labelledby="infos">
        <h2 id="infos" className="visually-hidden">
          Informations pratiques
        </h2>
        <dl className="facts">
          <dt>Quand</dt>
          <dd>
            <time dateTime={new Date(event.startsAt).toISOString()}>
              {formatRange(event.startsAt, event.endsAt, zone)}
            </time>{" "}
            ({zoneLabel(zone)})
            {showParis ? (
              <>
                <br />
                <span className="muted">
                  Soit {formatRange(event.startsAt, event.endsAt, PARIS)} à Paris
                </span>
              </>
            ) : null}
          </dd>
          <dt>Format</dt>
          <dd>{formatLabels[event.format]}</dd>
          {event.format !== "en-ligne" ? (
            <>
              <dt>Lieu</dt>
              <dd>
                {event.venue}
                {event.communeName ? (
                  <>
                    {", "}
                    <Link to={`/collectivites/${event.communeCode}`}>{event.communeName}</Link>
                  </>
                ) : null}
              </dd>
            </>
          ) : null}
          {event.format !== "presentiel" ? (
            <>
              <dt>En ligne</dt>
              <dd>
                {event.onlineUrl ? (
                  <a href={event.onlineUrl} rel="noopener noreferrer">
                    Rejoindre la session en ligne
                  </a>
                ) : (
                  "Le lien de connexion est communiqué aux personnes inscrites."
                )}
              </dd>
            </>
          ) : null}
          <dt>Organisé par</dt>
          <dd>
            <Link to={`/collectivites/${event.collectivityCode}`}>{event.collectivityName}</Link>
          </dd>
          <dt>Places</dt>
          <dd>
            <span
              className="places-live"
              aria-live="polite"
              data-testid="places-left"
              data-live={live ? "on" : "off"}
            >
              {places.placesLeft === null
                ? "Places illimitées"
                : places.placesLeft === 0
                  ? "Complet"
                  : `${places.placesLeft} place${places.placesLeft > 1 ? "s" : ""} restante${places.placesLeft > 1 ? "s" : ""}`}
            </span>{" "}
            {event.capacity !== null ? (
              <span className="muted">
                sur {event.capacity}
                {places.waitlisted > 0 ? `, ${places.waitlisted} en liste d'attente` : ""}
              </span>
            ) : null}
          </dd>
          <dt>Inscriptions</dt>
          <dd>
            {event.open
              ? `Jusqu'au ${formatInZone(event.closesAt, zone)}`
              : event.status === "cancelled"
                ? "Fermées (événement annulé)"
                : "Closes"}
          </dd>
        </dl>
        <div className="actions">
          <a className="button button--secondary" href={`/evenements/${event.slug}.ics`}>
            Ajouter à mon agenda (.ics)
          </a>
          {event.canManage ? (
            <>
              <Link className="button button--secondary" to={`/evenements/${event.slug}/modifier`}>
                Modifier
              </Link>
              <Link className="button button--secondary" to={`/evenements/${event.slug}/gestion`}>
                Inscrits et gestion
              </Link>
            </>
          ) : null}
        </div>
      </section>

      <section className="card stack" aria-labelledby="inscription">
        <h2 id="inscription">Inscription</h2>
        {!signedIn ? (
          <p>
            <Link to={`/connexion?redirectTo=/evenements/${event.slug}`}>Connectez-vous</Link> pour
            vous inscrire.
          </p>
        ) : registration ? (
          <>
            <p>
              {registration.status === "confirmed" ? (
                <strong>Vous êtes inscrit·e.</strong>
              ) : (
                <strong>
                  Vous êtes sur la liste d'attente, en position {registration.position}.
                </strong>
              )}
            </p>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="visibility" />
              <div className="choices">
                <label>
                  <input
                    type="checkbox"
                    name="showPublicly"
                    defaultChecked={registration.showPublicly}
                  />
                  Afficher mon nom dans la liste publique des participants
                </label>
              </div>
              <div>
                <button type="submit" className="secondary button--small" disabled={busy}>
                  Enregistrer ce choix
                </button>
              </div>
            </Form>
            {event.status !== "cancelled" ? (
              <Form method="post">
                <input type="hidden" name="intent" value="cancel" />
                <button type="submit" className="danger" disabled={busy}>
                  Annuler mon inscription
                </button>
              </Form>
            ) : null}
          </>
        ) : event.open ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="register" />
            <div className="choices">
              <label>
                <input type="checkbox" name="showPublicly" />
                Afficher mon nom dans la liste publique des participants
              </label>
            </div>
            <div>
              <button type="submit" disabled={busy}>
                {places.placesLeft === 0 ? "M'inscrire sur la liste d'attente" : "M'inscrire"}
              </button>
            </div>
          </Form>
        ) : (
          <p>Les inscriptions sont fermées.</p>
        )}
        <p>
          <PlacesLeft placesLeft={places.placesLeft} status={event.status} />
        </p>
      </section>

      {event.descriptionHtml ? (
        <section className="card prose" aria-labelledby="description">
          <h2 id="description">Présentation</h2>
          <div dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
        </section>
      ) : null}

      {event.programme.length > 0 ? (
        <section className="card" aria-labelledby="programme">
          <h2 id="programme">Programme</h2>
          <ol className="programme">
            {event.programme.map((item, index) => (
              <li key={index}>
                <span>
                  {item.date !== event.programme[0]?.date || index === 0
                    ? `${item.date.split("-").reverse().join("/")} `
                    : ""}
                  {item.time.replace(":", " h ")}
                </span>
                <span>
                  <strong>{item.title}</strong>
                  {item.speakers ? <span className="muted"> — {item.speakers}</span> : null}
                </span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {initiatives.length > 0 ? (
        <section className="card" aria-labelledby="initiatives">
          <h2 id="initiatives">Initiatives présentées</h2>
          <ul>
            {initiatives.map((initiative) => (
              <li key={initiative.id}>
                <Link to={`/initiatives/${initiative.slug}`}>{initiative.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="participants">
        <h2 id="participants">Participants</h2>
        <p>
          {event.confirmed} personne{event.confirmed > 1 ? "s" : ""} inscrite
          {event.confirmed > 1 ? "s" : ""}
          {attendees.length > 0 ? ", dont celles qui ont choisi d'apparaître ici :" : "."}
        </p>
        {attendees.length > 0 ? (
          <ul className="list-plain">
            {attendees.map((a) => (
              <li key={a.userId}>
                <MemberChip name={a.name} jobTitle={a.jobTitle} profileKind={a.profileKind} />
              </li>
            ))}
          </ul>
        ) : null}
        <h3>Organisation</h3>
        <ul className="list-plain">
          {organisers.map((o, index) => (
            <li key={index}>
              <MemberChip name={o.name} jobTitle={o.jobTitle} profileKind={o.profileKind} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
