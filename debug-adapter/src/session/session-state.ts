// session-state.ts - what one DAP session holds between requests: the VM (a DebugTarget driven through GDB,
// or a RunTarget when running without debugging), the breakpoint ledger, the stop the client was last told
// about, and the ids handed out for it (frames, variables, exception info), which all become invalid when the
// VM resumes. Shared by toro-debug-session.ts and the request handlers.

import type { DebugProtocol } from "@vscode/debugprotocol";
import type { GdbClient } from "../gdb";
import type { DebugTarget } from "../engine/launch/debug-target";
import type { RunTarget } from "../engine/launch/run-target";
import type { TargetStop } from "../engine/launch/target-stop";
import { BreakpointLedger } from "./breakpoints/breakpoint-ledger";
import { NoDebuggerError, NoSessionError } from "./error-messages";
import { FrameRegistry } from "./stack-trace";
import type { TelemetryEvents } from "./telemetry-events";
import type { TraceSession } from "./trace-session";
import { VariableStore } from "./variables/variable-store";

/** The VM of the session, whether debugged or not: what telemetry, threads and the session events need. */
export type LiveTarget = DebugTarget | RunTarget;

/**
 * Where breakpoint requests go: the DebugTarget once connected, or, during a launch, GDB alone with the kernel
 * loaded but no VM connected yet (nothing runs then, so no stop is needed to change breakpoints).
 */
export interface BreakpointHost {
  readonly gdb: GdbClient;
  whileStopped<Result>(action: () => Promise<Result>): Promise<Result>;
}

export class SessionState {
  /** The debugged VM (GDB); undefined before launch/attach and when running without debugging. */
  target: DebugTarget | undefined;
  /** The VM of a Run Without Debugging session (`noDebug`); undefined otherwise. */
  run: RunTarget | undefined;
  /** During a launch: GDB with the kernel loaded, before QEMU is connected (see BreakpointHost). */
  loadedDebugger: GdbClient | undefined;
  /** Whether kernel panics stop the VM (the `panic` exception filter), applied once the target exists. */
  panicStops = true;
  origin: "launch" | "attach" | undefined;
  telemetry: TelemetryEvents | undefined;
  /** The kernel's event trace, recorded while the VM lives (trace-session.ts). */
  trace: TraceSession | undefined;
  stopOnEntry = false;
  readonly ledger = new BreakpointLedger();
  readonly frames = new FrameRegistry();
  readonly variables = new VariableStore();
  /** Exception info of the current stop, by DAP thread id. */
  readonly exceptions = new Map<number, DebugProtocol.ExceptionInfoResponse["body"]>();
  /** The vCPU the last stop was reported on (default thread for evaluations without a frame). */
  lastStoppedThread = 1;
  /** The engine's stop the client was last told about, until the VM resumes. */
  lastStop: TargetStop | undefined;
  /** The body of the last `stopped` event, until the VM resumes (toroSelectCore re-sends it). */
  lastStoppedBody: DebugProtocol.StoppedEvent["body"] | undefined;

  /** The session's VM, debugged or not, while it lives. */
  get live(): LiveTarget | undefined {
    const live = this.target ?? this.run;
    return live === undefined || live.state === "ended" ? undefined : live;
  }

  /** The debugged VM; throws NoDebuggerError when running without debugging, NoSessionError when none. */
  requireTarget(): DebugTarget {
    if (this.run !== undefined && this.run.state !== "ended") throw new NoDebuggerError();
    if (this.target === undefined || this.target.state === "ended") throw new NoSessionError();
    return this.target;
  }

  /** Where breakpoints go now (see BreakpointHost); throws like requireTarget when nowhere. */
  breakpointHost(): BreakpointHost {
    if (this.target === undefined && this.run === undefined && this.loadedDebugger !== undefined) {
      const gdb = this.loadedDebugger;
      return { gdb, whileStopped: (action) => action() };
    }
    return this.requireTarget();
  }

  /** The session's VM, debugged or not; throws NoSessionError when none. */
  requireLive(): LiveTarget {
    const live = this.live;
    if (live === undefined) throw new NoSessionError();
    return live;
  }

  /** Drops everything tied to the current stop; call before the VM resumes (it deletes GDB objects). */
  async beforeResume(): Promise<void> {
    // GDB must unwind the vCPUs' own stacks again before a step computes its frames (`finish`).
    if (this.target?.state === "stopped")
      await this.target.kernelThreads.show(undefined).catch(() => undefined);
    this.frames.clear();
    this.exceptions.clear();
    this.lastStop = undefined;
    this.lastStoppedBody = undefined;
    await this.variables.release(this.target?.gdb);
  }
}
