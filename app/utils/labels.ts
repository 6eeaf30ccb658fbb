import type { CollectivityKind } from "../../db/schema/collectivities";

export const kindLabels: Record<CollectivityKind, string> = {
  commune: "Commune",
  epci: "Intercommunalité (EPCI)",
  departement: "Département",
  region: "Région",
  partenaire: "Partenaire du conseil",
};
