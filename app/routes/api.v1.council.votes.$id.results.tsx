import type { LoaderFunctionArgs } from "@remix-run/node";

import { getVote, voteResults } from "~/models/council-votes.server";
import { apiError, methodNotAllowed, notFound } from "~/utils/api.server";
import { formatDateTime } from "~/utils/dates";

/** The count of a vote, after its close only: 403 before (nothing of the tally), 404 unknown. */
export async function loader({ params }: LoaderFunctionArgs) {
  const results = await voteResults(params.id ?? "");
  if (results.status === "missing") return notFound();
  if (results.status === "sealed") {
    return apiError(
      403,
      "forbidden",
      `Le vote n'est pas clos : les résultats seront publiés à la clôture, le ${formatDateTime(results.closesAt)} (heure de Paris).`,
    );
  }
  const vote = await getVote(params.id ?? "");
  const { status: _status, ...count } = results;
  return Response.json({
    vote: vote && {
      id: vote.id,
      title: vote.title,
      opensAt: vote.opensAt,
      closesAt: vote.closesAt,
      maxChoices: vote.maxChoices,
    },
    ...count,
  });
}

export const action = () => methodNotAllowed(["GET"]);
