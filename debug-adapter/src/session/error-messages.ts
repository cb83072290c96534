// error-messages.ts - turns any error a request ran into into the text of a DAP error response: the
// engine's own errors already say what is wrong and what to do (install commands, expected values); GDB's
// refusals of a running or absent target are reworded for the Debug Console. Used by toro-debug-session.ts.

import { GdbError, GdbExitedError, NoTargetError, TargetRunningError } from "../gdb";
import { ToroError } from "../engine/errors";
import { BuildFailedError } from "../engine/launch/kernel-image";
import { ToolsMissingError } from "../engine/launch/toolchain";
import { LaunchConfigurationError } from "./launch-configuration";

/** DAP error ids (Message.id), one per family, so a client can tell them apart. */
export const ERROR_IDS = {
  configuration: 1001,
  toolsMissing: 1002,
  buildFailed: 1003,
  targetRunning: 1004,
  gdb: 1005,
  noSession: 1006,
  noDebugger: 1007,
  other: 1099,
} as const;

export class NoSessionError extends ToroError {
  constructor() {
    super("no VM is being debugged (the session has not started or has ended)");
  }
}

/** A request that needs GDB, in a session started with Run Without Debugging (`noDebug`). */
export class NoDebuggerError extends ToroError {
  constructor() {
    super(
      "this session runs without debugging (no GDB is attached to the VM), so it cannot stop, step or " +
        "inspect it; start it with Start Debugging (F5) for that",
    );
  }
}

export function errorMessage(error: unknown): { id: number; text: string } {
  if (error instanceof TargetRunningError) {
    return {
      id: ERROR_IDS.targetRunning,
      text: "The VM is running: pause it first (any GDB command would stop every vCPU).",
    };
  }
  if (error instanceof NoTargetError)
    return { id: ERROR_IDS.noSession, text: "GDB is not connected to the VM." };
  if (error instanceof GdbError) return { id: ERROR_IDS.gdb, text: error.miMessage };
  if (error instanceof GdbExitedError) return { id: ERROR_IDS.gdb, text: error.message };
  if (error instanceof NoSessionError) return { id: ERROR_IDS.noSession, text: error.message };
  if (error instanceof NoDebuggerError) return { id: ERROR_IDS.noDebugger, text: error.message };
  const id =
    error instanceof LaunchConfigurationError
      ? ERROR_IDS.configuration
      : error instanceof ToolsMissingError
        ? ERROR_IDS.toolsMissing
        : error instanceof BuildFailedError
          ? ERROR_IDS.buildFailed
          : ERROR_IDS.other;
  if (error instanceof Error) return { id, text: error.message };
  return { id, text: String(error) };
}
