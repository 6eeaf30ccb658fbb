import type { LoaderFunctionArgs } from "@remix-run/node";

import { ballotTopics } from "~/models/council-votes.server";
import { ballotFileName, closedBallots } from "~/utils/council-ballots.server";

/** The anonymised ballots with the topics' titles, so anyone can recount. */
export async function loader({ params }: LoaderFunctionArgs) {
  const { vote, ballots } = await closedBallots(params.id ?? "");
  return Response.json(
    {
      vote: {
        id: vote.id,
        title: vote.title,
        closesAt: vote.closesAt,
        maxChoices: vote.maxChoices,
      },
      hash: "sha256(reçu)",
      topics: await ballotTopics(vote.callId),
      ballots,
    },
    { headers: { "Content-Disposition": ballotFileName(vote.id, "json") } },
  );
}
