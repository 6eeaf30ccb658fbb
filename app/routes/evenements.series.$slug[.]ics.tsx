import type { LoaderFunctionArgs } from "@remix-run/node";

import { findSeries, seriesIcs } from "~/models/event-series.server";
import { invariantResponse } from "~/utils/replies.server";

/**
 * `/evenements/series/:slug.ics`: every stage of a series in one subscribable calendar, each in
 * the zone of its place. A draft series is only fetched by the people preparing it.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const series = await findSeries({ slug: params.slug ?? "" }, context.auth.user);
  invariantResponse(series, "Cycle d'événements introuvable.");
  const body = await seriesIcs(series, new URL(request.url).origin);
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${series.slug}.ics"`,
      "Cache-Control": series.status === "published" ? "public, max-age=300" : "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
