import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";

import { listAttendees } from "~/models/event-registrations.server";
import { getEvent } from "~/models/events.server";
import { requireUser } from "~/utils/auth.server";
import { formatInZone } from "~/utils/dates";

/** Spreadsheets run cells starting with = + - @ as formulas: neutralise them. */
function cell(value: string) {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const event = await getEvent({ slug: args.params.slug ?? "" }, user);
  if (!event) throw new Response("Événement introuvable.", { status: 404 });
  const attendees = await listAttendees(user, event.id);
  if (!attendees) {
    throw new Response("Seuls les organisateurs peuvent exporter les inscrits.", { status: 403 });
  }
  const rows = attendees.map((a) => [
    cell(a.name),
    cell(a.email),
    cell(a.jobTitle),
    cell(a.collectivityName ?? ""),
    a.status === "confirmed" ? "confirmée" : "liste d'attente",
    a.position === null ? "" : String(a.position),
    formatInZone(a.registeredAt, event.timeZone),
    a.showPublicly ? "oui" : "non",
  ]);
  const csv = stringify(rows, {
    header: true,
    columns: [
      "Nom",
      "Adresse électronique",
      "Fonction",
      "Collectivité",
      "Statut",
      "Rang en liste d'attente",
      "Inscription",
      "Liste publique",
    ],
    delimiter: ";",
    bom: true,
  });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="inscrits-${event.slug}.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
