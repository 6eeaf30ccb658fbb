import type { LoaderFunctionArgs } from "@remix-run/node";

import { labelStatistics } from "~/models/label-results.server";
import { methodNotAllowed } from "~/utils/api.server";
import { franceMapSvg } from "~/utils/france-map.server";

/** The map of the statistics page, as an image; the page lists the same figures in a table. */
export async function loader(_: LoaderFunctionArgs) {
  const statistics = await labelStatistics();
  const svg = franceMapSvg(
    statistics.perDepartment,
    `Collectivités labellisées par département${statistics.latestYear ? ` en ${statistics.latestYear}` : ""}`,
  );
  return new Response(svg, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "public, max-age=300",
    },
  });
}

export const action = () => methodNotAllowed(["GET"]);
