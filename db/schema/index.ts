export * from "./accounts";
export * from "./sessions";
export * from "./audit";
export * from "./email";
export * from "./content";
