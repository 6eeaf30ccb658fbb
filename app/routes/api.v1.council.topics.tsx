import type { LoaderFunctionArgs } from "@remix-run/node";

import { listCouncilTopics } from "~/models/council-topics.server";
import { methodNotAllowed, readQuery } from "~/utils/api.server";
import { CouncilTopicsQuerySchema } from "~/utils/council-schemas";

/** The council's topics (public), filtered by status and year. */
export async function loader({ request }: LoaderFunctionArgs) {
  const query = readQuery(request, CouncilTopicsQuerySchema);
  const topics = await listCouncilTopics(query);
  const origin = new URL(request.url).origin;
  return Response.json({
    items: topics.map((t) => ({
      id: t.id,
      year: t.year,
      title: t.title,
      why: t.why,
      expectedOutcome: t.expectedOutcome,
      themes: t.themes,
      status: t.status,
      mergedIntoId: t.mergedIntoId,
      organisation: { code: t.organisationCode, name: t.organisationName },
      url: `${origin}/conseil/sujets/${t.id}`,
      discussionUrl: t.discussionPath ? `${origin}${t.discussionPath}` : null,
    })),
  });
}

export const action = () => methodNotAllowed(["GET"]);
