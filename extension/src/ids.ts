// ids.ts - every identifier the extension shares with package.json: commands, views, settings, task and
// problem-matcher names, context keys. One place for each fact; test/unit/manifest.test.ts checks that
// package.json contributes exactly these. The debug type and custom DAP messages live in toro-protocol.ts.

export { TORO_DEBUG_TYPE as DEBUG_TYPE } from "@toro-studio/debug-adapter/protocol";

export const EXTENSION_ID = "toro-studio.toro";

export const Command = {
  newProject: "toro.newProject",
  build: "toro.build",
  runWithoutDebugging: "toro.runWithoutDebugging",
  openMonitor: "toro.openMonitor",
  openTimeline: "toro.openTimeline",
  exportTrace: "toro.exportTrace",
  switchIdlePolicy: "toro.switchIdlePolicy",
  checkToolchain: "toro.checkToolchain",
  selectCore: "toro.selectCore",
  selectThread: "toro.selectThread",
  stressHttp: "toro.stressHttp",
} as const;
export type CommandId = (typeof Command)[keyof typeof Command];

export const View = {
  container: "toro",
  cores: "toro.cores",
  /** The same Cores tree in the Run and Debug container, shown while a `toro` session runs. */
  debugCores: "toro.debugCores",
  spinlocks: "toro.spinlocks",
  threads: "toro.threads",
} as const;

/** Settings under the `toro.` section (package.json contributes.configuration). */
export const Setting = {
  section: "toro",
  qemuPath: "qemuPath",
  gdbPath: "gdbPath",
  toolchainPrefix: "toolchainPrefix",
  kernelCheckout: "kernelCheckout",
  telemetryHz: "telemetryHz",
} as const;

export const TASK_TYPE = "toro";
/** Contributed in package.json: gcc's, GNU as's and GNU ld's message formats, absolute paths. */
export const PROBLEM_MATCHER = "$toro-gcc";
export const MONITOR_VIEW_TYPE = "toro.monitor";
export const TIMELINE_VIEW_TYPE = "toro.timeline";
export const OUTPUT_CHANNEL_NAME = "Toro";
/** package.json contributes.walkthroughs id; VS Code addresses it as `${EXTENSION_ID}#getStarted`. */
export const WALKTHROUGH_ID = "getStarted";

/** Context keys for when-clauses. */
export const ContextKey = {
  /** "none" | "live" | "ended": whether the views show a running session or its last snapshot. */
  sessionState: "toro.sessionState",
} as const;
