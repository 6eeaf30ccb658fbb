import type { MetaFunction } from "@remix-run/node";

import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Initiatives — Territoires Internet" }];

export default function Page() {
  return (
    <ComingSoon
      title="Initiatives"
      text="Les bonnes pratiques partagées par les collectivités membres arrivent bientôt ici."
    />
  );
}
