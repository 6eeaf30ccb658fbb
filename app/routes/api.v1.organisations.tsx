import type { LoaderFunctionArgs } from "@remix-run/node";

import { searchOrganisations } from "~/models/organisations.server";
import { methodNotAllowed, readQuery } from "~/utils/api.server";
import { OrganisationsQuerySchema } from "~/utils/council-schemas";

/** The council's member organisations: collectivities with approved members, and partners. */
export async function loader({ request }: LoaderFunctionArgs) {
  const query = readQuery(request, OrganisationsQuerySchema);
  const results = await searchOrganisations(query);
  const origin = new URL(request.url).origin;
  return Response.json({
    items: results.items.map((o) => ({
      code: o.code,
      name: o.name,
      type: o.kind === "partenaire" ? "partenaire" : "collectivite",
      kind: o.partnerKind ?? o.kind,
      college: o.college,
      url: o.slug ? `${origin}/partenaires/${o.slug}` : `${origin}/collectivites/${o.code}`,
    })),
    total: results.total,
    page: results.page,
    pageSize: results.pageSize,
  });
}

export const action = () => methodNotAllowed(["GET"]);
