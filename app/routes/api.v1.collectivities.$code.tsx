import type { LoaderFunctionArgs } from "@remix-run/node";

import { getCollectivity, listMembers } from "~/models/collectivities.server";
import { methodNotAllowed, notFound } from "~/utils/api.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const collectivity = await getCollectivity(params.code ?? "");
  if (!collectivity) return notFound();
  const { members } = await listMembers(collectivity.code, context.auth.user);
  const origin = new URL(request.url).origin;
  return Response.json({
    ...collectivity,
    url: `${origin}/collectivites/${collectivity.code}`,
    members: members
      .filter((m) => m.status !== "pending")
      .map((m) => ({
        id: m.userId,
        name: m.name,
        jobTitle: m.jobTitle,
        profileKind: m.profileKind,
        status: m.status,
        referent: m.isReferent,
      })),
  });
}

export const action = () => methodNotAllowed(["GET"]);
