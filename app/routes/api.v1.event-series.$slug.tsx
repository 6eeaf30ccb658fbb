import type { LoaderFunctionArgs } from "@remix-run/node";

import { findSeries, listHosts, seriesStages } from "~/models/event-series.server";
import { methodNotAllowed, notFound } from "~/utils/api.server";
import { eventItem } from "~/utils/event-api.server";

/**
 * `GET /api/v1/event-series/:slug` (a public contract: fields may be added, never renamed): the
 * series, its accepted hosts and its stages with dates, zone, place, host, places left and
 * the links to the page, the calendar and each stage's registration.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const series = await findSeries({ slug: params.slug ?? "" }, viewer);
  if (!series) return notFound();
  const [stages, hosts] = await Promise.all([
    seriesStages(series.id, viewer),
    listHosts(series.id),
  ]);
  const origin = new URL(request.url).origin;
  const page = `${origin}/evenements/series/${series.slug}`;
  return Response.json({
    id: series.id,
    slug: series.slug,
    title: series.title,
    description: series.description,
    status: series.status,
    publishedAt: series.publishedAt?.toISOString() ?? null,
    url: page,
    calendarUrl: `${page}.ics`,
    hosts: hosts
      .filter((host) => host.status === "accepted")
      .map((host) => ({ code: host.collectivityCode, name: host.collectivityName })),
    stages: stages.map((stage) => ({
      ...eventItem(stage, origin),
      place: {
        venue: stage.venue,
        commune: stage.communeCode ? { code: stage.communeCode, name: stage.communeName } : null,
        department: stage.departmentCode
          ? { code: stage.departmentCode, name: stage.departmentName }
          : null,
        region: stage.regionCode ? { code: stage.regionCode, name: stage.regionName } : null,
      },
      host: { code: stage.hostCode, name: stage.collectivityName },
      links: {
        page: `${origin}/evenements/${stage.slug}`,
        calendar: `${origin}/evenements/${stage.slug}.ics`,
        registrations: `${origin}/api/v1/events/${stage.id}/registrations`,
      },
    })),
  });
}

export const action = () => methodNotAllowed(["GET"]);
