// index.ts - the adapter's protocol, as the extension imports it (package export
// "@toro-studio/debug-adapter/protocol"): the custom DAP messages (toro-protocol.ts; trace-protocol.ts for
// the event trace, trace-lane-layout.ts for the timeline's culling and merging, shared with the
// adapter) and the launch/attach arguments declared once (launch-arguments.ts) and checked
// (validate-arguments.ts). Pure: no runtime imports beyond these files.

export * from "./toro-protocol";
export * from "./trace-protocol";
export * from "./trace-lane-layout";
export * from "./launch-arguments";
export { validateLaunchArguments, validateAttachArguments } from "./validate-arguments";
export type { LaunchValidationResult, ValidationResult } from "./validate-arguments";
