import type { LoaderFunctionArgs } from "@remix-run/node";

import { csvColumns, exportCsvRecords, licenceHeaders } from "~/models/initiatives-export.server";
import { apiRateLimit, methodNotAllowed } from "~/utils/api.server";
import { csvStream } from "~/utils/csv.server";

/** Open data: every published initiative, Licence Ouverte / Etalab 2.0, written as it is read. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const limited = await apiRateLimit("open-data-export", context.clientIp);
  if (limited) return limited;
  return new Response(csvStream(exportCsvRecords(new URL(request.url).origin), csvColumns), {
    headers: {
      ...licenceHeaders,
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="initiatives-territoires-internet.csv"',
    },
  });
}

export const action = () => methodNotAllowed(["GET"]);
