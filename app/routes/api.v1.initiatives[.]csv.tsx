import type { LoaderFunctionArgs } from "@remix-run/node";

import { exportCsv, licenceHeaders } from "~/models/initiatives-export.server";
import { methodNotAllowed } from "~/utils/api.server";

/** Open data: every published initiative, Licence Ouverte / Etalab 2.0. */
export async function loader({ request }: LoaderFunctionArgs) {
  const csv = await exportCsv(new URL(request.url).origin);
  return new Response(csv, {
    headers: {
      ...licenceHeaders,
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="initiatives-territoires-internet.csv"',
    },
  });
}

export const action = () => methodNotAllowed(["GET"]);
