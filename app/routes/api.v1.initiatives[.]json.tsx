import type { LoaderFunctionArgs } from "@remix-run/node";

import { exportJsonChunks, licenceHeaders } from "~/models/initiatives-export.server";
import { apiRateLimit, methodNotAllowed } from "~/utils/api.server";
import { pullStream } from "~/utils/streams.server";

/** Open data: every published initiative, Licence Ouverte / Etalab 2.0, written as it is read. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const limited = await apiRateLimit("open-data-export", context.clientIp);
  if (limited) return limited;
  return new Response(pullStream(exportJsonChunks(new URL(request.url).origin)), {
    headers: { ...licenceHeaders, "Content-Type": "application/json; charset=utf-8" },
  });
}

export const action = () => methodNotAllowed(["GET"]);
