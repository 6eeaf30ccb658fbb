import type { LoaderFunctionArgs } from "@remix-run/node";

import { listCampaigns } from "~/models/label-campaigns.server";
import { methodNotAllowed, readQuery } from "~/utils/api.server";
import { apiCampaign, openDataHeaders } from "~/utils/label-api.server";
import { z } from "~/utils/validation";

/** GET: every campaign of the label with its key dates and status, newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  readQuery(request, z.object({}));
  const campaigns = await listCampaigns();
  return Response.json({ items: campaigns.map(apiCampaign) }, { headers: openDataHeaders });
}

export const action = () => methodNotAllowed(["GET"]);
