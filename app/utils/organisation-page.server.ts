import { listMembers } from "../models/collectivities.server";
import { placesLeft } from "../models/event-places.server";
import { listEvents } from "../models/events.server";
import { listCollectivityInitiatives } from "../models/initiatives.server";
import type { AuthUser } from "./auth.server";

/**
 * What the page of every member organisation shows, collectivity or partner: its members (with
 * the référent's rights over them), its initiatives and its next ten events.
 */
export async function organisationPage(code: string, viewer: AuthUser | null) {
  const [{ members, canManage }, initiatives, upcoming] = await Promise.all([
    listMembers(code, viewer),
    listCollectivityInitiatives(code, viewer),
    listEvents({ collectivityCode: code, period: "upcoming", pageSize: 10 }, viewer),
  ]);
  return { members, canManage, initiatives, upcoming: withPlacesLeft(upcoming.items) };
}

/** Event cards show the places left, computed from each event's counters. */
export function withPlacesLeft<E extends Parameters<typeof placesLeft>[0]>(events: E[]) {
  return events.map((event) => ({ ...event, placesLeft: placesLeft(event) }));
}
