import type { LoaderFunctionArgs } from "@remix-run/node";

import { ballotFileName, closedBallots } from "~/utils/council-ballots.server";
import { toCsv } from "~/utils/csv.server";

/** The anonymised ballots: receipt hash, college, approved topic ids (one per cell, ";"). */
export async function loader({ params }: LoaderFunctionArgs) {
  const { ballots } = await closedBallots(params.id ?? "");
  const csv = toCsv(
    ballots.map((b) => [b.receiptHash, b.college, b.topicIds.join(";")]),
    ["empreinte_recu_sha256", "college", "sujets"],
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": ballotFileName(params.id ?? "", "csv"),
    },
  });
}
