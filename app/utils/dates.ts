import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { fr } from "date-fns/locale";

export const PARIS = "Europe/Paris";

/** "mardi 12 mars 2027, 18 h 00", in the given zone (Paris by default). */
export function formatDateTime(value: Date | string, timeZone = PARIS) {
  const date = new TZDate(new Date(value), timeZone);
  return format(date, "EEEE d MMMM yyyy, H' h 'mm", { locale: fr });
}

export function formatDate(value: Date | string, timeZone = PARIS) {
  const date = new TZDate(new Date(value), timeZone);
  return format(date, "EEEE d MMMM yyyy", { locale: fr });
}
