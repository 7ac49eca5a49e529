export * from "./accounts";
export * from "./sessions";
export * from "./audit";
export * from "./email";
export * from "./content";
export * from "./invitations";
export * from "./step-up";
export * from "./two-factor";
