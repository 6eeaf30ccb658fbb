export * from "./accounts";
export * from "./collectivities";
export * from "./rate-limits";
export * from "./realtime";
export * from "./meta";
export * from "./outbox";
export * from "./forums";
export * from "./initiatives";
