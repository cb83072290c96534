// index.ts - the test helpers other workspaces' tests share (the "./test-support" export, "source" condition
// only: it is never built or shipped): repository paths and private scratch folders, process checks, the
// nothing-left-behind assertion, and synthetic telemetry blocks and trace rings.

export * from "./paths";
export * from "./processes";
export * from "./cleanup";
export * from "./synthetic-block";
export * from "./synthetic-trace";
