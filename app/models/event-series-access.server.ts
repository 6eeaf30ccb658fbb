import { sql } from "drizzle-orm";

/**
 * The one rule of series that `events` needs, kept apart so that it imports nothing of the
 * series model: the event is a stage (attached or since detached) and the person is an approved
 * member of its host collectivity. Hosts' members manage their stage without the organiser role.
 */
export function hostsStage(userId: string, eventId: string) {
  return sql`exists (
    select 1 from event_series_stages s
    join memberships m on m.collectivity_code = s.host_code
    where s.event_id = ${eventId} and m.user_id = ${userId} and m.status = 'approved'
  )`;
}
