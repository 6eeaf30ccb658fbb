import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { searchInitiatives } from "~/models/initiative-search.server";
import { createInitiative, type InitiativeInput } from "~/models/initiative-writes.server";
import { listPublished } from "~/models/initiatives.server";
import {
  apiError,
  apiFailure,
  apiRateLimit,
  methodNotAllowed,
  readJsonBody,
  readQuery,
} from "~/utils/api.server";
import { requirePublisher } from "~/utils/auth.server";
import { ApiInitiativeSchema, InitiativeQuerySchema } from "~/utils/initiative-schemas";
import { apiBodyToInput, apiItem } from "~/utils/initiatives-api.server";

/**
 * GET: published initiatives. With `q`, ranked by Meilisearch and with facet counts; without,
 * the newest first straight from PostgreSQL.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const query = readQuery(request, InitiativeQuerySchema);
  const origin = new URL(request.url).origin;
  if (query.q) {
    const result = await searchInitiatives(query);
    // The pages fall back to the newest initiatives; an API client asked for a ranking.
    if (result.degraded)
      return apiError(
        503,
        "service_unavailable",
        "La recherche est momentanément indisponible ; réessayez dans un instant.",
        undefined,
        { "Retry-After": "10" },
      );
    return Response.json({
      items: result.items.map((hit) => apiItem(origin, hit)),
      total: result.total,
      page: result.page,
      facets: result.facets,
    });
  }
  const result = await listPublished(query);
  return Response.json({
    items: result.items.map((row) => apiItem(origin, row)),
    total: result.total,
    page: result.page,
  });
}

export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const user = requirePublisher(args);
  const body = await readJsonBody(args.request, ApiInitiativeSchema);
  const limited = await apiRateLimit("initiative-write", user.id);
  if (limited) return limited;
  const input = {
    tags: [],
    startYear: null,
    budgetBracket: null,
    links: [],
    status: "draft",
    inspiredBy: null,
    contributors: [],
    ...apiBodyToInput(body),
  } as InitiativeInput;
  const created = await createInitiative(user, {
    ...input,
    collectivityCode: body.collectivityCode,
  });
  if (!created.ok) return apiFailure(created);
  const origin = new URL(args.request.url).origin;
  return Response.json(
    {
      id: created.value.id,
      slug: created.value.slug,
      url: `${origin}/initiatives/${created.value.slug}`,
    },
    { status: 201 },
  );
}
