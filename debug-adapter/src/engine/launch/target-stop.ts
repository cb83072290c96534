// target-stop.ts - why the VM stopped, in the engine's words, and how that is worked out: GDB's stop record
// classified with what only the engine knows (which breakpoint is the panic probe or the entry breakpoint,
// whether a pause was asked for, what QMP said about a shutdown), then what the kind needs read: the panic's
// message and vector and, for a CPU exception, the interrupted frames (panic-probe.ts,
// interrupted-frames.ts); the QMP shutdown reason for a triple fault. Built by debug-target.ts; the DAP
// session (session/stop-handling.ts) maps each kind to a DAP stop. All-stop: every vCPU is stopped.

import {
  type StopEvent,
  type WatchpointHit,
  cpuForThreadId,
  threadIdForCpu,
  type GdbClient,
} from "../../gdb";
import { type InterruptedFrame, interruptedFrames } from "./interrupted-frames";
import { type KernelPanic, readPanicAtBreakpoint } from "./panic-probe";
import type { VmMonitor } from "./vm-monitor";

export type TargetStopKind =
  /** The temporary breakpoint at the app's `main` (stopOnEntry). */
  | "entry"
  | "breakpoint"
  | "watchpoint"
  /** A step, next, finish or instruction step ended. */
  | "step"
  /** A pause the user asked for. */
  | "pause"
  /** A kernel panic or a CPU exception (which the kernel turns into a panic). */
  | "panic"
  /** The VM shut down: a triple fault (reset request) or a power-off, paused by QEMU's `-action`. */
  | "shutdown"
  /** A signal GDB reported that none of the above explains. */
  | "signal"
  /** GDB's stop right after `target remote` connected. */
  | "connected";

export interface TargetStop {
  kind: TargetStopKind;
  /** GDB thread (vCPU, see ../../gdb/vcpu.ts) the stop is reported on. */
  threadId: number;
  breakpointNumber?: number;
  watchpoint?: WatchpointHit;
  panic?: KernelPanic;
  /** For a CPU exception: the code it interrupted, faulting instruction first (GDB cannot unwind there). */
  interrupted?: InterruptedFrame[];
  /** For `shutdown`: QEMU's reason (`guest-reset` for a triple fault) and a sentence for the user. */
  shutdown?: { reason: string | null; description: string };
  signalName?: string;
  /** The untouched GDB record. */
  gdbStop: StopEvent;
}

/** What debug-target.ts knows at the moment of a stop. */
export interface StopContext {
  panicBreakpoint: number | undefined;
  entryBreakpoint: number | undefined;
  /** A panic seen on the serial line or in telemetry that made the engine interrupt the VM. */
  pendingPanic: KernelPanic | undefined;
}

const STEP_REASONS = new Set(["end-stepping-range", "function-finished", "location-reached"]);
// `watchpoint-scope`: a watched local went out of scope; GDB deleted the watchpoint and stopped.
const WATCH_REASONS = new Set([
  "watchpoint-trigger",
  "read-watchpoint-trigger",
  "access-watchpoint-trigger",
  "watchpoint-scope",
]);

/** The kind of a stop, before any enrichment that needs GDB (the panic message) or QMP (shutdown reason). */
export function classifyStop(event: StopEvent, context: StopContext): TargetStopKind {
  if (event.reason === "breakpoint-hit") {
    if (event.breakpointNumber !== undefined && event.breakpointNumber === context.panicBreakpoint)
      return "panic";
    if (event.breakpointNumber !== undefined && event.breakpointNumber === context.entryBreakpoint)
      return "entry";
    return "breakpoint";
  }
  if (WATCH_REASONS.has(event.reason)) return "watchpoint";
  if (STEP_REASONS.has(event.reason)) return "step";
  if (event.reason === "signal-received") {
    // QEMU's gdbstub reports a VM it paused on shutdown as SIGQUIT (RUN_STATE_SHUTDOWN).
    if (event.signalName === "SIGQUIT") return "shutdown";
    // SIGINT: our interrupt (a pause, or the reaction to a panic seen on serial/telemetry), a raw GDB
    // `interrupt`, or QEMU paused by QMP `stop`: a pause in every case but the panic.
    if (event.signalName === "SIGINT") return context.pendingPanic !== undefined ? "panic" : "pause";
    return "signal";
  }
  if (event.reason === "none") return "connected";
  return "signal";
}

/**
 * A sentence for a shutdown, from QMP's SHUTDOWN reason (null when QMP said nothing) and the vCPU GDB
 * reported it on (null without GDB).
 */
export function describeShutdown(reason: string | null, core: number | null): string {
  switch (reason) {
    case "guest-reset":
    case null:
      return (
        `Triple fault${core === null ? "" : ` on CPU ${core}`}: an exception could not be delivered, not even as a double fault, so the ` +
        "CPU asked for a reset. QEMU paused the VM instead (its registers are as they were at the fault). " +
        "Restart the session to boot again."
      );
    case "guest-shutdown":
      return "The guest powered the machine off; QEMU paused the VM. Restart the session to boot again.";
    default:
      return `The VM shut down (${reason}); QEMU paused it. Restart the session to boot again.`;
  }
}

/** How long a shutdown stop waits for QMP's SHUTDOWN event (it travels on another socket than GDB's stop). */
const SHUTDOWN_EVENT_WAIT_MS = 500;

export interface StopReportContext {
  gdb: GdbClient;
  vm: VmMonitor | undefined;
  panicBreakpoint: number | undefined;
  entryBreakpoint: number | undefined;
  /** A panic seen on serial or in telemetry, for which the engine interrupted the VM. */
  pendingPanic: KernelPanic | undefined;
}

/** The stop as the engine reports it; undefined for GDB's stop on connecting, which is not reported. */
export async function buildTargetStop(
  event: StopEvent,
  context: StopReportContext,
): Promise<TargetStop | undefined> {
  const kind = classifyStop(event, context);
  if (kind === "connected") return undefined;
  const stop: TargetStop = {
    kind,
    threadId: event.threadId ?? 1,
    breakpointNumber: event.breakpointNumber,
    watchpoint: event.watchpoint,
    signalName: event.signalName,
    gdbStop: event,
  };
  if (kind === "panic") {
    if (context.pendingPanic !== undefined) {
      stop.panic = context.pendingPanic;
      stop.threadId = threadIdForCpu(context.pendingPanic.core);
    } else {
      stop.panic = await readPanicAtBreakpoint(context.gdb, stop.threadId);
      if (stop.panic.exception !== undefined)
        stop.interrupted = await interruptedFrames(context.gdb, stop.threadId);
    }
  }
  if (kind === "shutdown") {
    const reason = (await context.vm?.waitForShutdownReason(SHUTDOWN_EVENT_WAIT_MS)) ?? null;
    stop.shutdown = { reason, description: describeShutdown(reason, cpuForThreadId(stop.threadId)) };
  }
  return stop;
}
