import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { createEvent } from "~/models/event-editing.server";
import { listEvents } from "~/models/events.server";
import {
  apiFailure,
  apiRateLimit,
  methodNotAllowed,
  readJsonBody,
  readQuery,
} from "~/utils/api.server";
import { requirePublisher } from "~/utils/auth.server";
import { eventItem, inputFromApi } from "~/utils/event-api.server";
import { EventCreateApiSchema, EventListApiQuerySchema } from "~/utils/event-schemas";

const PAGE_SIZE = 50;

/** Public events; without `from`, those not yet over. */
export async function loader({ request }: LoaderFunctionArgs) {
  const query = readQuery(request, EventListApiQuerySchema);
  const results = await listEvents({
    from: query.from ? new Date(query.from) : new Date(),
    to: query.to ? new Date(query.to) : undefined,
    region: query.region,
    department: query.department,
    theme: query.theme,
    period: "all",
    page: query.page,
    pageSize: PAGE_SIZE,
  });
  const origin = new URL(request.url).origin;
  return Response.json({
    items: results.items.map((event) => eventItem(event, origin)),
    total: results.total,
    page: results.page,
    pageSize: results.pageSize,
  });
}

export async function action(args: ActionFunctionArgs) {
  if (args.request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const user = requirePublisher(args, "organiser");
  const body = await readJsonBody(args.request, EventCreateApiSchema);
  const limited = await apiRateLimit("event-write", user.id);
  if (limited) return limited;
  const created = await createEvent(user, inputFromApi(body));
  if (!created.ok) return apiFailure(created);
  const origin = new URL(args.request.url).origin;
  return Response.json(
    {
      id: created.value.id,
      slug: created.value.slug,
      url: `${origin}/evenements/${created.value.slug}`,
    },
    { status: 201, headers: { Location: `${origin}/api/v1/events/${created.value.id}` } },
  );
}
