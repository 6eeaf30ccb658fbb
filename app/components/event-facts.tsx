import { Link } from "@remix-run/react";

import { differsFromParis, formatInZone, formatRange, PARIS, zoneLabel } from "~/utils/dates";
import { formatLabels } from "~/utils/event-schemas";

export type EventFactsData = {
  slug: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  format: keyof typeof formatLabels;
  venue: string;
  communeCode: string | null;
  communeName: string | null;
  onlineUrl: string | null;
  collectivityCode: string;
  collectivityName: string;
  capacity: number | null;
  status: "draft" | "published" | "cancelled";
  open: boolean;
  closesAt: string;
  canManage: boolean;
};

function placesText(placesLeft: number | null) {
  if (placesLeft === null) return "Places illimitées";
  if (placesLeft === 0) return "Complet";
  const plural = placesLeft > 1 ? "s" : "";
  return `${placesLeft} place${plural} restante${plural}`;
}

/**
 * The practical information of an event: when (in the place's zone, with Paris time beside it
 * when they differ), format, place, link, host, places left (followed live) and registrations.
 */
export function EventFacts({
  event,
  places,
  live,
}: {
  event: EventFactsData;
  places: { placesLeft: number | null; waitlisted: number };
  live: boolean;
}) {
  const zone = event.timeZone;
  return (
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
          {differsFromParis(event.startsAt, zone) ? (
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
            {placesText(places.placesLeft)}
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
  );
}
