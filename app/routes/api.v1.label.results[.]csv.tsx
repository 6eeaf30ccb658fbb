import type { LoaderFunctionArgs } from "@remix-run/node";

import { iterateResults } from "~/models/label-results.server";
import { methodNotAllowed, readQuery } from "~/utils/api.server";
import { csvStream } from "~/utils/csv.server";
import { categoryLabels, mentionLabel } from "~/utils/label";
import { openDataHeaders } from "~/utils/label-api.server";
import { ResultsQuerySchema } from "~/utils/label-schemas";

const columns = [
  "annee",
  "code",
  "collectivite",
  "categorie",
  "region",
  "departement",
  "niveau",
  "mentions",
];

/** Open data: the published results of the label, Licence Ouverte / Etalab 2.0. */
export async function loader({ request }: LoaderFunctionArgs) {
  const filter = readQuery(request, ResultsQuerySchema);
  async function* rows() {
    for await (const r of iterateResults(filter)) {
      yield [
        r.year,
        r.code,
        r.name,
        categoryLabels[r.category],
        r.regionCode ?? "",
        r.departmentCode ?? "",
        r.level,
        r.mentions.map(mentionLabel).join(" ; "),
      ];
    }
  }
  return new Response(csvStream(rows(), columns), {
    headers: {
      ...openDataHeaders,
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="label-territoires-internet-resultats.csv"',
    },
  });
}

export const action = () => methodNotAllowed(["GET"]);
