import type { LoaderFunctionArgs } from "@remix-run/node";

import { listAttendees } from "~/models/event-registrations.server";
import { toCsv } from "~/utils/csv.server";
import { formatInZone } from "~/utils/dates";
import { requireManagedEvent } from "~/utils/event-pages.server";
import { invariantResponse } from "~/utils/replies.server";

const columns = [
  "Nom",
  "Adresse électronique",
  "Fonction",
  "Collectivité",
  "Statut",
  "Rang en liste d'attente",
  "Inscription",
  "Liste publique",
];

/** The registrants of an event, for its organisers (member-written cells neutralised by toCsv). */
export async function loader(args: LoaderFunctionArgs) {
  const forbidden = "Seuls les organisateurs peuvent exporter les inscrits.";
  const { user, event } = await requireManagedEvent(args, forbidden);
  const attendees = await listAttendees(user, event.id);
  invariantResponse(attendees, forbidden, 403);
  const rows = attendees.map((a) => [
    a.name,
    a.email,
    a.jobTitle,
    a.collectivityName ?? "",
    a.status === "confirmed" ? "confirmée" : "liste d'attente",
    a.position === null ? "" : String(a.position),
    formatInZone(a.registeredAt, event.timeZone),
    a.showPublicly ? "oui" : "non",
  ]);
  return new Response(toCsv(rows, columns, { delimiter: ";" }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="inscrits-${event.slug}.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
