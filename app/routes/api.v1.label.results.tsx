import type { LoaderFunctionArgs } from "@remix-run/node";

import { listResults } from "~/models/label-results.server";
import { methodNotAllowed, readQuery } from "~/utils/api.server";
import { apiResult, openDataHeaders } from "~/utils/label-api.server";
import { ResultsQuerySchema } from "~/utils/label-schemas";

/** GET: published results only, filtered by year, région, département, level and catégorie. */
export async function loader({ request }: LoaderFunctionArgs) {
  const filter = readQuery(request, ResultsQuerySchema);
  const { items, total } = await listResults(filter, { limit: null });
  return Response.json({ items: items.map(apiResult), total }, { headers: openDataHeaders });
}

export const action = () => methodNotAllowed(["GET"]);
