import type { MetaFunction } from "@remix-run/node";

import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Événements — Territoires Internet" }];

export default function Page() {
  return (
    <ComingSoon
      title="Événements"
      text="Les événements thématiques locaux et les assises territoriales arrivent bientôt."
    />
  );
}
