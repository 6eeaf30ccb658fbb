// Plain constants without drizzle imports, so the browser bundle can use them.
export const followLevels = ["watching", "normal", "muted"] as const;
export type FollowLevel = (typeof followLevels)[number];
