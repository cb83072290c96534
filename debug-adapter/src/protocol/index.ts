// index.ts - the adapter's protocol, as the extension imports it (package export
// "@toro-studio/debug-adapter/protocol"): the custom DAP messages (toro-protocol.ts) and the launch/attach
// arguments declared once (launch-arguments.ts). No runtime imports beyond these two files.

export * from "./toro-protocol";
export * from "./launch-arguments";
