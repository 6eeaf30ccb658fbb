import type { LoaderFunctionArgs } from "@remix-run/node";

import { openApiDocument } from "~/api/openapi.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return Response.json(openApiDocument(new URL(request.url).origin), {
    headers: { "Cache-Control": "public, max-age=300" },
  });
}
