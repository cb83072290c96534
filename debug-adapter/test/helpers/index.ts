// index.ts - the test helpers other workspaces' tests share (the "./test-support" export, "source" condition
// only: it is never built or shipped): repository paths and private scratch folders, process checks, the
// nothing-left-behind assertion, synthetic telemetry blocks and trace rings, and
// the structural check of a Chrome JSON trace against Perfetto's importer.

export * from "./paths";
export * from "./processes";
export * from "./cleanup";
export * from "./synthetic-block";
export * from "./synthetic-trace";
export * from "./perfetto-json-check";
