import type { MetaFunction } from "@remix-run/node";

import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Forums — Territoires Internet" }];

export default function Page() {
  return (
    <ComingSoon title="Forums" text="Les forums de discussion entre membres arrivent bientôt." />
  );
}
