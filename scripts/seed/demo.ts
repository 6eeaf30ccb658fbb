import type { Database } from "../../db/client";
import { demoCouncil } from "./council";
import { demoAccounts } from "./demo-accounts";
import { demoEvents } from "./demo-events";
import { demoEventSeries } from "./event-series";
import { demoForums } from "./forums";
import { demoInitiativesSeed } from "./initiatives";
import { demoLabel } from "./label";
import { demoWorkingGroups } from "./working-groups";

/**
 * Demo content, loaded once on the first start (each entry has its own marker in app_meta).
 * Each domain appends its seed here; they run in this order.
 */
export const demoSeeds: Array<{ name: string; run: (db: Database) => Promise<string> }> = [
  { name: "comptes", run: demoAccounts },
  { name: "forums", run: demoForums },
  { name: "initiatives", run: demoInitiativesSeed },
  { name: "evenements", run: demoEvents },
  { name: "cycles", run: demoEventSeries },
  { name: "label", run: demoLabel },
  { name: "conseil", run: demoCouncil },
  { name: "groupes", run: demoWorkingGroups },
];
