import type { LoaderFunctionArgs } from "@remix-run/node";

import { searchSite, withoutMarks } from "~/models/site-search.server";
import { getUser } from "~/utils/auth.server";
import { searchKinds, SuggestionsQuerySchema } from "~/utils/search-kinds";

const SUGGESTIONS = 7;

/**
 * Suggestions of the header's search box while typing: the best hits of every kind, confirmed
 * against the viewer's rights like the results page. An invalid query suggests nothing.
 */
export async function loader(args: LoaderFunctionArgs) {
  const viewer = getUser(args);
  const parsed = SuggestionsQuerySchema.safeParse(
    Object.fromEntries(new URL(args.request.url).searchParams),
  );
  if (!parsed.success) return Response.json({ items: [] });
  const found = await searchSite({
    q: parsed.data.q,
    kinds: searchKinds,
    viewer,
    page: 1,
    pageSize: SUGGESTIONS,
    cropLength: 8,
  });
  return Response.json(
    {
      items: found.items.map((item) => ({
        type: item.type,
        id: item.id,
        title: item.title,
        context: item.context || withoutMarks(item.snippet).slice(0, 120),
        url: item.url,
      })),
    },
    // What a member may see differs from what a visitor sees: never shared by a cache.
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
