// index.ts - the public face of the GDB access layer (bottom of debug-adapter's three layers; no DAP here).
// The engine imports from this file only: GdbClient (start, execute, events, shutdown), the command groups
// (grouped as in the GDB/MI manual), the vCPU <-> thread mapping and the typed errors.
// Usage: const gdb = await GdbClient.start({ gdbPath }); await loadProgram(gdb, elf);
//        await connectRemote(gdb, "127.0.0.1", port); const stop = await gdb.untilStopped(() => next(gdb));

export {
  GdbClient,
  type CommandOptions,
  type CommandRequirement,
  type CommandResult,
  type ExitEvent,
  type GdbStartOptions,
  type OutputEvent,
  type RunningEvent,
  type TargetDisposition,
  type TargetState,
} from "./gdb-client";
export type { GdbTraceEntry, StreamKind } from "./gdb-process";
export {
  GDB_INSTALL_HINT,
  GdbError,
  GdbExitedError,
  GdbNotFoundError,
  GdbTimeoutError,
  MiShapeError,
  NoTargetError,
  StopTimeoutError,
  TargetRunningError,
} from "./errors";
export { isTargetGone, type StopEvent, type StopReason, type WatchpointHit } from "./stop-event";
export { cpuForThreadId, threadIdForCpu } from "./vcpu";
export { formatAddress, parseAddress } from "./mi/values";
export type { BreakpointLocation, BreakpointRecord } from "./mi/breakpoint-record";
export * from "./mi/target";
export * from "./mi/execution";
export * from "./mi/threads";
export * from "./mi/breakpoints";
export * from "./mi/stack";
export * from "./mi/variables";
export * from "./mi/data";
export * from "./mi/disassembly";
export * from "./mi/console";
