// Plain constants without drizzle imports, so the browser bundle can use them.

/** The council's colleges: every member organisation sits in one; collectivities in theirs. */
export const councilColleges = [
  "economique",
  "social",
  "education-recherche",
  "collectivites",
  "etat-services",
] as const;
export type CouncilCollege = (typeof councilColleges)[number];

export const collegeLabels: Record<CouncilCollege, string> = {
  economique: "Collège économique",
  social: "Collège social",
  "education-recherche": "Collège éducation et recherche",
  collectivites: "Collège des collectivités",
  "etat-services": "Collège de l'État et de ses services",
};

/** The college every collectivity of the directory belongs to. */
export const COLLECTIVITIES_COLLEGE: CouncilCollege = "collectivites";

export const partnerKinds = [
  "entreprise",
  "association",
  "ecole-universite",
  "service-etat",
  "reseau-collectivites",
] as const;
export type PartnerKind = (typeof partnerKinds)[number];

export const partnerKindLabels: Record<PartnerKind, string> = {
  entreprise: "Entreprise",
  association: "Association",
  "ecole-universite": "École ou université",
  "service-etat": "Service de l'État",
  "reseau-collectivites": "Réseau de collectivités",
};

/** A council topic: proposed, merged into another (a duplicate), or chosen after the vote. */
export const councilTopicStatuses = ["proposed", "merged", "selected"] as const;
export type CouncilTopicStatus = (typeof councilTopicStatuses)[number];

export const councilTopicStatusLabels: Record<CouncilTopicStatus, string> = {
  proposed: "proposé",
  merged: "fusionné",
  selected: "retenu",
};

/** How many topics one ballot may approve, unless the vote says otherwise. */
export const DEFAULT_MAX_CHOICES = 5;
