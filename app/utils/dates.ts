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
