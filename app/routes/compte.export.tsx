import type { LoaderFunctionArgs } from "@remix-run/node";

import { exportAccountData } from "~/models/account-lifecycle.server";
import { requireUser } from "~/utils/auth.server";

/** RGPD export of the signed-in user's own data; never anyone else's. */
export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const data = await exportAccountData(user.id);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="territoires-internet-mes-donnees.json"`,
      "Cache-Control": "no-store",
    },
  });
}
