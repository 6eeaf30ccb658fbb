import { TZDate } from "@date-fns/tz";
// One file per function: the package's index and its locale index load over 800 modules.
import { format } from "date-fns/format";
import { formatDistanceStrict } from "date-fns/formatDistanceStrict";
import { fr } from "date-fns/locale/fr";

/**
 * The one date and time module: instants are stored as timestamptz and shown in French, in
 * Europe/Paris or in the zone of the place (overseas events), correct across daylight saving.
 */
export const PARIS = "Europe/Paris";

// Building a formatter is costly and pages format dozens of dates: keep one per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(value: Date | string, timeZone: string) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("fr-FR", {
      timeZone,
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(value))) parts[part.type] = part.value;
  return parts;
}

// formatToParts is still the costliest step of a forum page (30 dates): the text only changes
// with the minute, and the same posts are shown again and again, so remember recent results.
const MINUTE = 60_000;
const formatted = new Map<string, string>();

function remembered(value: Date | string, timeZone: string, kind: string, build: () => string) {
  const minute = Math.floor(new Date(value).getTime() / MINUTE);
  const key = `${kind}|${timeZone}|${minute}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = build();
    // A crude bound: dates shown are mostly recent, and rebuilding is cheap enough.
    if (formatted.size >= 10_000) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/** "mardi 12 mars 2027, 18 h 00", in the given zone (Paris by default). */
export function formatDateTime(value: Date | string, timeZone = PARIS) {
  return remembered(value, timeZone, "datetime", () => {
    const p = partsIn(value, timeZone);
    return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${Number(p.hour)} h ${p.minute}`;
  });
}

/** "mardi 12 mars 2027". */
export function formatDate(value: Date | string, timeZone = PARIS) {
  return remembered(value, timeZone, "date", () => {
    const p = partsIn(value, timeZone);
    return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
  });
}

/**
 * IANA zone of the overseas départements and collectivités, by INSEE département code; every
 * other place is on Paris time.
 */
const overseasZones: Record<string, string> = {
  "971": "America/Guadeloupe",
  "972": "America/Martinique",
  "973": "America/Cayenne",
  "974": "Indian/Reunion",
  "975": "America/Miquelon",
  "976": "Indian/Mayotte",
  "977": "America/St_Barthelemy",
  "978": "America/Marigot",
  "986": "Pacific/Wallis",
  "987": "Pacific/Tahiti",
  "988": "Pacific/Noumea",
};

export function zoneForDepartment(departmentCode: string | null | undefined): string {
  return (departmentCode && overseasZones[departmentCode]) || PARIS;
}

export const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

function wallClock(instant: number, zone: string) {
  return format(new TZDate(instant, zone), "yyyy-MM-dd'T'HH:mm");
}

/**
 * The instant a local "2027-10-31T02:30" denotes in `zone`. A time skipped by the spring change
 * does not exist (null); a time that occurs twice in autumn is the first occurrence, as RFC 5545
 * reads DTSTART;TZID, so the page and the calendar files agree.
 */
export function localToInstant(local: string, zone: string): Date | null {
  const match = LOCAL_INPUT.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const candidate = new TZDate(y, mo - 1, d, h, mi, zone).getTime();
  if (Number.isNaN(candidate) || wallClock(candidate, zone) !== local) return null;
  const earlier = candidate - 60 * 60 * 1000;
  return new Date(wallClock(earlier, zone) === local ? earlier : candidate);
}

/** Whether the wall-clock time of an instant occurs twice in `zone` (the autumn change). */
export function isAmbiguous(value: Date | string, zone: string) {
  const instant = new Date(value).getTime();
  const hour = 60 * 60 * 1000;
  // Cheap test first: no change of offset around the instant, no repeated hour.
  const before = new TZDate(instant - hour, zone).getTimezoneOffset();
  const after = new TZDate(instant + hour, zone).getTimezoneOffset();
  if (before === after) return false;
  const local = wallClock(instant, zone);
  return wallClock(instant - hour, zone) === local || wallClock(instant + hour, zone) === local;
}

/** "2027-10-31T02:30", the value of a datetime-local field, in `zone`. */
export function instantToLocal(value: Date | string, zone: string): string {
  return wallClock(new Date(value).getTime(), zone);
}

/** "samedi 30 octobre 2027, 22 h 00" in `zone`. */
export function formatInZone(value: Date | string, zone: string) {
  return format(new TZDate(new Date(value).getTime(), zone), "EEEE d MMMM yyyy, H' h 'mm", {
    locale: fr,
  });
}

export function formatTimeInZone(value: Date | string, zone: string) {
  return format(new TZDate(new Date(value).getTime(), zone), "H' h 'mm", { locale: fr });
}

function dayKey(value: Date | string, zone: string) {
  return format(new TZDate(new Date(value).getTime(), zone), "yyyy-MM-dd");
}

/**
 * "samedi 30 octobre 2027, de 22 h 00 à 4 h 00 (le lendemain)" or, over several days,
 * "du … au …", in the event's zone.
 */
export function formatRange(start: Date | string, end: Date | string, zone: string) {
  const sameDay = dayKey(start, zone) === dayKey(end, zone);
  if (sameDay) {
    const day = format(new TZDate(new Date(start).getTime(), zone), "EEEE d MMMM yyyy", {
      locale: fr,
    });
    return `${day}, de ${formatTimeInZone(start, zone)} à ${formatTimeInZone(end, zone)}`;
  }
  return `du ${formatInZone(start, zone)} au ${formatInZone(end, zone)}`;
}

/** Offset in minutes of `zone` at an instant. */
function offsetMinutes(value: Date | string, zone: string) {
  return -new TZDate(new Date(value).getTime(), zone).getTimezoneOffset();
}

/** Whether Paris shows another wall-clock time than `zone` at the instant. */
export function differsFromParis(value: Date | string, zone: string) {
  return zone !== PARIS && offsetMinutes(value, zone) !== offsetMinutes(value, PARIS);
}

/** "UTC−4", to tell the zone of a time shown in an overseas event. */
export function zoneLabel(zone: string) {
  const names: Record<string, string> = {
    "Europe/Paris": "heure de Paris",
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "America/Miquelon": "heure de Saint-Pierre-et-Miquelon",
    "Indian/Mayotte": "heure de Mayotte",
    "America/St_Barthelemy": "heure de Saint-Barthélemy",
    "America/Marigot": "heure de Saint-Martin",
    "Pacific/Wallis": "heure de Wallis-et-Futuna",
    "Pacific/Tahiti": "heure de Tahiti",
    "Pacific/Noumea": "heure de Nouméa",
  };
  return names[zone] ?? zone;
}

/** "2027-03" of an instant in Paris, for the month filter and view. */
export function monthKey(value: Date | string, zone = PARIS) {
  return format(new TZDate(new Date(value).getTime(), zone), "yyyy-MM");
}

export function formatMonth(key: string) {
  const [y, m] = key.split("-").map(Number) as [number, number];
  return format(new Date(Date.UTC(y, m - 1, 15)), "MMMM yyyy", { locale: fr });
}

/** First instant of a month ("2027-03") and of the month after, in Paris. */
export function monthBounds(key: string) {
  const [y, m] = key.split("-").map(Number) as [number, number];
  return {
    from: new Date(new TZDate(y, m - 1, 1, 0, 0, PARIS).getTime()),
    to: new Date(new TZDate(y, m, 1, 0, 0, PARIS).getTime()),
  };
}

/** Date block of an event card: day number, short month, in the event's zone. */
export function dateBlock(value: Date | string, zone: string) {
  const date = new TZDate(new Date(value).getTime(), zone);
  return {
    day: format(date, "d"),
    month: format(date, "MMM", { locale: fr }).replace(".", ""),
    weekday: format(date, "EEE", { locale: fr }).replace(".", ""),
    iso: format(date, "yyyy-MM-dd"),
  };
}

/** "12 jours", "5 heures", "moins d'une minute": how long until `to`, in French. */
export function timeLeft(to: Date | string, now: Date = new Date()) {
  const ms = new Date(to).getTime() - now.getTime();
  if (ms < 60_000) return "moins d'une minute";
  return formatDistanceStrict(new Date(to), now, { locale: fr, roundingMethod: "floor" });
}
