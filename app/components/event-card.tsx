import { Link } from "@remix-run/react";

import { dateBlock, formatRange, zoneLabel } from "~/utils/dates";
import { formatLabels } from "~/utils/event-schemas";

import { ThemeChip } from "./initiative-card";

export type EventCardData = {
  slug: string;
  title: string;
  themes: string[];
  format: keyof typeof formatLabels;
  startsAt: string | Date;
  endsAt: string | Date;
  timeZone: string;
  status: "draft" | "published" | "cancelled";
  communeName: string | null;
  collectivityName: string;
  placesLeft: number | null;
  waitlisted?: number;
};

export function PlacesLeft({
  placesLeft,
  status,
}: {
  placesLeft: number | null;
  status: EventCardData["status"];
}) {
  if (status === "cancelled") return <span className="badge badge--cancelled">Annulé</span>;
  if (placesLeft === null) return <span className="badge">Places illimitées</span>;
  if (placesLeft === 0)
    return <span className="badge badge--pending">Complet — liste d'attente</span>;
  return (
    <span className="badge badge--approved">
      {placesLeft} place{placesLeft > 1 ? "s" : ""} restante{placesLeft > 1 ? "s" : ""}
    </span>
  );
}

/** Date block, title, place and places left of an event, for lists. */
export function EventCard({
  event,
  headingLevel = 3,
}: {
  event: EventCardData;
  headingLevel?: 2 | 3;
}) {
  const block = dateBlock(event.startsAt, event.timeZone);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const place =
    event.format === "en-ligne"
      ? "En ligne"
      : `${event.communeName ?? event.collectivityName}${event.format === "hybride" ? " et en ligne (hybride)" : ""}`;
  return (
    <article
      className={`event-card${event.status === "cancelled" ? " event-card--cancelled" : ""}`}
    >
      <time className="date-block" dateTime={block.iso} aria-hidden="true">
        <span className="date-block__weekday">{block.weekday}</span>
        <span className="date-block__day">{block.day}</span>
        <span className="date-block__month">{block.month}</span>
      </time>
      <div className="event-card__body">
        <Heading className="event-card__title">
          <Link to={`/evenements/${event.slug}`}>{event.title}</Link>
        </Heading>
        <p className="event-card__when">
          {formatRange(event.startsAt, event.endsAt, event.timeZone)}
          {event.timeZone !== "Europe/Paris" ? ` (${zoneLabel(event.timeZone)})` : null}
        </p>
        <p className="event-card__where">
          {event.format === "presentiel" ? `${place} · ${formatLabels.presentiel}` : place} · par{" "}
          {event.collectivityName}
        </p>
        <div className="actions">
          <PlacesLeft placesLeft={event.placesLeft} status={event.status} />
          {event.status === "draft" ? (
            <span className="badge badge--pending">Brouillon</span>
          ) : null}
          {event.themes.map((slug) => (
            <ThemeChip key={slug} slug={slug} />
          ))}
        </div>
      </div>
    </article>
  );
}
