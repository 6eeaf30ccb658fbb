import type { LoaderFunctionArgs } from "@remix-run/node";

import { eventIcs, feedIcs, personalIcs } from "~/models/event-calendar.server";
import { getEvent } from "~/models/events.server";
import { invariantResponse } from "~/utils/replies.server";
import { themeSlugs } from "~/utils/themes";
import { departmentCodeSchema, regionCodeSchema, z } from "~/utils/validation";

const FeedQuerySchema = z.object({
  region: regionCodeSchema.optional(),
  departement: departmentCodeSchema.optional(),
  theme: z.enum(themeSlugs, { error: "Thème inconnu." }).optional(),
  jeton: z.string().max(64).optional(),
});

function calendarResponse(body: string, filename: string, cache: string) {
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Cache-Control": cache,
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * `/evenements/:slug.ics` for one event, and `/evenements/calendrier.ics` (a reserved slug) for
 * the subscribable feed, optionally narrowed by région, département or theme; with `?jeton=`,
 * a member's personal calendar (revocable secret address).
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const slug = params.slug ?? "";
  if (slug === "calendrier") {
    const entries = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ""));
    const parsed = FeedQuerySchema.safeParse(entries);
    invariantResponse(
      parsed.success,
      `Paramètre invalide : ${parsed.error?.issues.map((i) => i.message).join(" ")}`,
      400,
    );
    const { region, departement, theme, jeton } = parsed.data;
    if (jeton !== undefined) {
      // A member's personal calendar: secret, so never cached by anyone in between.
      const personal = await personalIcs(jeton, url.origin);
      invariantResponse(personal, "Adresse de calendrier inconnue ou révoquée.");
      return calendarResponse(personal, "mes-evenements.ics", "private, no-store");
    }
    const feed = await feedIcs({ region, department: departement, theme }, url.origin);
    if (request.headers.get("if-none-match") === feed.etag) {
      return new Response(null, { status: 304, headers: { ETag: feed.etag } });
    }
    const response = calendarResponse(
      feed.body,
      "evenements-territoires-internet.ics",
      "public, max-age=300",
    );
    response.headers.set("ETag", feed.etag);
    return response;
  }
  const viewer = context.auth.user;
  const event = await getEvent({ slug }, viewer);
  invariantResponse(event, "Événement introuvable.");
  // The online link is in the file only for registered people and organisers (getEvent drops
  // it for everyone else), so that copy must not be shared by caches.
  const cache = viewer ? "private, no-store" : "public, max-age=300";
  return calendarResponse(eventIcs(event, url.origin), `${event.slug}.ics`, cache);
}
