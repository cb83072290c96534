// stop-report.ts - builds the engine's TargetStop (target-stop.ts) from GDB's stop record: classifies it,
// then reads what the kind needs: the panic's message and vector and, for a CPU exception, the interrupted
// frames (panic-probe.ts, interrupted-frames.ts); the QMP shutdown reason for a triple fault. Called by
// debug-target.ts, which owns the state the context describes.

import { cpuForThreadId, threadIdForCpu, type GdbClient, type StopEvent } from "../../gdb";
import { interruptedFrames } from "./interrupted-frames";
import { readPanicAtBreakpoint, type KernelPanic } from "./panic-probe";
import { classifyStop, describeShutdown, type TargetStop } from "./target-stop";
import type { VmMonitor } from "./vm-monitor";

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
