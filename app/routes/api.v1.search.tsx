import type { LoaderFunctionArgs } from "@remix-run/node";

import { searchSite, withoutMarks } from "~/models/site-search.server";
import { readQuery } from "~/utils/api.server";
import { getUser } from "~/utils/auth.server";
import { searchKinds, SiteSearchApiQuerySchema } from "~/utils/search-kinds";

const PAGE_SIZE = 20;

/**
 * Searches every kind at once (or those of `types`), merged by relevance, with the same rights
 * as the pages: a token's or a session's owner sees what they may read, anyone else the public.
 */
export async function loader(args: LoaderFunctionArgs) {
  const query = readQuery(args.request, SiteSearchApiQuerySchema);
  const found = await searchSite({
    q: query.q,
    kinds: query.types ?? searchKinds,
    viewer: getUser(args),
    page: query.page,
    pageSize: PAGE_SIZE,
  });
  const origin = new URL(args.request.url).origin;
  return Response.json(
    {
      items: found.items.map((item) => ({
        type: item.type,
        id: item.id,
        title: withoutMarks(item.title),
        snippet: withoutMarks(item.snippet),
        url: `${origin}${item.url}`,
      })),
      totals: found.totals,
      page: query.page,
      pageSize: PAGE_SIZE,
      degraded: found.degraded,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
