// session-state.ts - what one DAP session holds between requests: the debugged target, the breakpoint
// ledger, and the ids handed out for the current stop (frames, variables, exception info), which all become
// invalid when the VM resumes. Shared by toro-debug-session.ts and request-handlers.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import type { DebugTarget } from "../engine/launch/debug-target";
import type { TargetStop } from "../engine/launch/target-stop";
import { BreakpointLedger } from "./breakpoints/breakpoint-ledger";
import { NoSessionError } from "./error-messages";
import { FrameRegistry } from "./stack-trace";
import type { TelemetryEvents } from "./telemetry-events";
import { VariableStore } from "./variables/variable-store";

export class SessionState {
  target: DebugTarget | undefined;
  origin: "launch" | "attach" | undefined;
  telemetry: TelemetryEvents | undefined;
  stopOnEntry = false;
  readonly ledger = new BreakpointLedger();
  readonly frames = new FrameRegistry();
  readonly variables = new VariableStore();
  /** Exception info of the current stop, by DAP thread id. */
  readonly exceptions = new Map<number, DebugProtocol.ExceptionInfoResponse["body"]>();
  /** The vCPU the last stop was reported on (default thread for evaluations without a frame). */
  lastStoppedThread = 1;
  /** The stop the client was last told about, until the VM resumes. */
  lastStop: TargetStop | undefined;

  requireTarget(): DebugTarget {
    if (this.target === undefined || this.target.state === "ended") throw new NoSessionError();
    return this.target;
  }

  /** Drops everything tied to the current stop; call before the VM resumes (it deletes GDB objects). */
  async beforeResume(): Promise<void> {
    this.frames.clear();
    this.exceptions.clear();
    this.lastStop = undefined;
    await this.variables.release(this.target?.gdb);
  }
}
