import type { LoaderFunctionArgs } from "@remix-run/node";

import { exportJson, licenceHeaders } from "~/models/initiatives-export.server";
import { methodNotAllowed } from "~/utils/api.server";

/** Open data: every published initiative, Licence Ouverte / Etalab 2.0. */
export async function loader({ request }: LoaderFunctionArgs) {
  return Response.json(await exportJson(new URL(request.url).origin), {
    headers: licenceHeaders,
  });
}

export const action = () => methodNotAllowed(["GET"]);
