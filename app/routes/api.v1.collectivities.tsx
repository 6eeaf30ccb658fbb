import type { LoaderFunctionArgs } from "@remix-run/node";

import { searchCollectivities } from "~/models/collectivities.server";
import { methodNotAllowed, readQuery } from "~/utils/api.server";
import { CollectivitiesQuerySchema } from "~/utils/schemas";

export async function loader({ request }: LoaderFunctionArgs) {
  const query = readQuery(request, CollectivitiesQuerySchema);
  const results = await searchCollectivities(query);
  const origin = new URL(request.url).origin;
  return Response.json({
    items: results.items.map((c) => ({ ...c, url: `${origin}/collectivites/${c.code}` })),
    total: results.total,
    page: results.page,
    pageSize: results.pageSize,
  });
}

export const action = () => methodNotAllowed(["GET"]);
