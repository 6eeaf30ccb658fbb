import type { LoaderFunctionArgs } from "@remix-run/node";

import { similarInitiatives } from "~/models/initiative-search.server";

/** Published initiatives close to the title being typed (duplicates to avoid). */
export async function loader({ request }: LoaderFunctionArgs) {
  const title = (new URL(request.url).searchParams.get("titre") ?? "").slice(0, 200);
  return Response.json({ items: await similarInitiatives(title) });
}
