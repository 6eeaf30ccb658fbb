import type { MetaFunction } from "@remix-run/node";

import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Label — Territoires Internet" }];

export default function Page() {
  return (
    <ComingSoon
      title="Label"
      text="Le label Territoires, Villes et Villages Internet (inscription, questionnaire, palmarès) arrive bientôt."
    />
  );
}
