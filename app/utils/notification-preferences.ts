/**
 * The kinds of mail a member chooses the pace of, with their defaults: shared by the preferences
 * page, the unsubscribe page and the models (no server code here, the browser bundle uses it).
 */
export const preferenceKinds = [
  "mentions",
  "followed-topics",
  "initiatives",
  "events",
  "label",
  "moderation",
] as const;
export type PreferenceKind = (typeof preferenceKinds)[number];

export const frequencies = ["immediately", "daily", "weekly", "never"] as const;
export type Frequency = (typeof frequencies)[number];
export type DigestFrequency = "daily" | "weekly";

export const defaultFrequencies: Record<PreferenceKind, Frequency> = {
  mentions: "immediately",
  "followed-topics": "weekly",
  initiatives: "weekly",
  events: "weekly",
  label: "weekly",
  moderation: "weekly",
};

export const preferenceKindLabels: Record<PreferenceKind, string> = {
  mentions: "Mentions et réponses à vos messages",
  "followed-topics": "Discussions que vous suivez",
  initiatives: "Nouvelles initiatives dans vos thèmes ou votre département",
  events: "Événements près de chez vous ou sur vos thèmes",
  label: "Dates du label",
  moderation: "Décisions de modération",
};

export const frequencyLabels: Record<Frequency, string> = {
  immediately: "Immédiatement",
  daily: "Résumé quotidien",
  weekly: "Résumé hebdomadaire",
  never: "Jamais",
};

export const digestLabels: Record<DigestFrequency, string> = {
  daily: "le résumé quotidien",
  weekly: "le résumé hebdomadaire",
};

/** What a one-click unsubscribe link stops: one kind, or a whole digest. */
export type UnsubscribeScope = PreferenceKind | `digest-${DigestFrequency}`;

export function isUnsubscribeScope(value: string): value is UnsubscribeScope {
  return (
    (preferenceKinds as readonly string[]).includes(value) ||
    value === "digest-daily" ||
    value === "digest-weekly"
  );
}

export function scopeLabel(scope: UnsubscribeScope) {
  if (scope === "digest-daily" || scope === "digest-weekly") {
    return digestLabels[scope === "digest-daily" ? "daily" : "weekly"];
  }
  return `les courriels « ${preferenceKindLabels[scope]} »`;
}

/** A member's stored choices completed with the defaults (unknown keys and values ignored). */
export function effectiveFrequencies(stored: Record<string, string> | null | undefined) {
  const result = { ...defaultFrequencies };
  for (const kind of preferenceKinds) {
    const value = stored?.[kind];
    if (value && (frequencies as readonly string[]).includes(value)) {
      result[kind] = value as Frequency;
    }
  }
  return result;
}
