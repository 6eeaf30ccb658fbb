import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { deleteInitiative, updateInitiative } from "~/models/initiative-writes.server";
import { getInitiative } from "~/models/initiatives.server";
import {
  apiFailure,
  apiRateLimit,
  methodNotAllowed,
  notFound,
  readJsonBody,
} from "~/utils/api.server";
import { requirePublisher } from "~/utils/auth.server";
import { ApiInitiativePatchSchema } from "~/utils/initiative-schemas";
import { apiBodyToInput, apiFieldNames, apiItem } from "~/utils/initiatives-api.server";

/** One initiative by id (drafts only for their collectivity and admins: others get 404). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const initiative = await getInitiative({ id: params.id ?? "", viewer: context.auth.user });
  if (!initiative) return notFound();
  const origin = new URL(request.url).origin;
  return Response.json({
    ...apiItem(origin, initiative),
    status: initiative.status,
    version: initiative.version,
    body: initiative.body,
    bodyHtml: initiative.bodyHtml,
    budgetBracket: initiative.budgetBracket,
    links: initiative.links,
    createdAt: initiative.createdAt.toISOString(),
    inspiredBy: initiative.inspiredBy ? apiItem(origin, initiative.inspiredBy) : null,
    contributors: initiative.contributors.map((c) => ({
      name: c.name,
      role: c.role,
      member: c.userId !== null,
    })),
    adoptions: initiative.adoptions.map((a) => ({
      collectivity: { code: a.collectivityCode, name: a.collectivityName },
      note: a.note,
      createdAt: a.createdAt.toISOString(),
    })),
    reuseCount: initiative.reuseCount,
  });
}

export async function action(args: ActionFunctionArgs) {
  const method = args.request.method;
  if (method !== "PATCH" && method !== "DELETE")
    return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const user = requirePublisher(args);
  const limited = await apiRateLimit("initiative-write", user.id);
  if (limited) return limited;
  const lookup = { id: args.params.id ?? "" };
  if (method === "DELETE") {
    const deleted = await deleteInitiative(user, lookup);
    return deleted.ok ? new Response(null, { status: 204 }) : apiFailure(deleted);
  }
  const body = await readJsonBody(args.request, ApiInitiativePatchSchema);
  const updated = await updateInitiative(user, lookup, apiBodyToInput(body), body.version);
  if (!updated.ok) return apiFailure(apiFieldNames(updated));
  const origin = new URL(args.request.url).origin;
  return Response.json({
    id: updated.value.id,
    slug: updated.value.slug,
    version: updated.value.version,
    url: `${origin}/initiatives/${updated.value.slug}`,
  });
}
