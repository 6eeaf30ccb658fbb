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

/** "mardi 12 mars 2027, 18 h 00", in the given zone (Paris by default). */
export function formatDateTime(value: Date | string, timeZone = PARIS) {
  const p = partsIn(value, timeZone);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${Number(p.hour)} h ${p.minute}`;
}

/** "mardi 12 mars 2027". */
export function formatDate(value: Date | string, timeZone = PARIS) {
  const p = partsIn(value, timeZone);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}
