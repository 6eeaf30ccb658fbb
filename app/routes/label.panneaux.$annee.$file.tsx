import type { LoaderFunctionArgs } from "@remix-run/node";

import { publishedResult } from "~/models/label-results.server";
import { methodNotAllowed } from "~/utils/api.server";
import { panelPng, panelSvg } from "~/utils/label-panel.server";
import { invariantResponse } from "~/utils/replies.server";

/** `/label/panneaux/2026/56260.svg` or `.png`: the panel of a published result, to download. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = Number(params.annee);
  const file = /^([0-9AB]{5}|\d{9}|dep-\w{2,3})\.(svg|png)$/i.exec(params.file ?? "");
  invariantResponse(Number.isInteger(year) && file, "Panneau introuvable.");
  const [, code, format] = file as unknown as [string, string, "svg" | "png"];
  const result = await publishedResult(code, year);
  invariantResponse(result, "Panneau introuvable.");
  const svg = panelSvg({
    name: result.name,
    year,
    level: result.level,
    mentions: result.mentions,
    verifyUrl: `${new URL(request.url).origin}/label/verifier/${code}`,
  });
  const headers = {
    "Content-Disposition": `attachment; filename="panneau-label-${year}-${code}.${format}"`,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=3600",
  };
  if (format === "png") {
    return new Response(new Uint8Array(panelPng(svg)), {
      headers: { ...headers, "Content-Type": "image/png" },
    });
  }
  return new Response(svg, {
    headers: { ...headers, "Content-Type": "image/svg+xml; charset=utf-8" },
  });
}

export const action = () => methodNotAllowed(["GET"]);
