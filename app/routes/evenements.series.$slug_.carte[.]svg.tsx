import type { LoaderFunctionArgs } from "@remix-run/node";

import { findSeries, seriesStages, stagesPerDepartment } from "~/models/event-series.server";
import { methodNotAllowed } from "~/utils/api.server";
import { franceMapSvg } from "~/utils/france-map.server";
import { invariantResponse } from "~/utils/replies.server";

/** The map of a series' stages by département; the programme page lists the same stages. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = context.auth.user;
  const series = await findSeries({ slug: params.slug ?? "" }, viewer);
  invariantResponse(series, "Cycle d'événements introuvable.");
  const stages = await seriesStages(series.id, viewer);
  const svg = franceMapSvg(
    stagesPerDepartment(stages),
    `Étapes de « ${series.title} » par département`,
  );
  return new Response(svg, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": viewer ? "private, no-store" : "public, max-age=300",
    },
  });
}

export const action = () => methodNotAllowed(["GET"]);
