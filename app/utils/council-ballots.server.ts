import { anonymisedBallots } from "../models/council-votes.server";
import { invariantResponse } from "./replies.server";

/**
 * The anonymised ballots of a closed vote, for the CSV and JSON downloads; before the close the
 * same 404 as a missing vote, so nothing of the tally leaks through a file either.
 */
export async function closedBallots(voteId: string) {
  const found = await anonymisedBallots(voteId);
  invariantResponse(found, "Bulletins introuvables : ils sont publiés à la clôture du vote.");
  return found;
}

export const ballotFileName = (voteId: string, extension: string) =>
  `attachment; filename="conseil-vote-${voteId}-bulletins.${extension}"`;
