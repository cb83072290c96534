// debug-target.ts - one debugged VM: GDB connected to QEMU's gdbstub, QMP (when available), the telemetry
// poller and the serial console, behind run-control verbs (continue, step, pause, restart) and typed events
// (stopped, serialLine, gdbOutput, ended). A launched VM is a GuestRun (../run/guest-run.ts: QEMU, telemetry
// reader and stream, as without a debugger) with GDB on top; an attached one has only a telemetry source.
// No DAP here: the DAP session (src/session/) translates.
// Created by launch-target.ts or attach-target.ts; stop kinds in target-stop.ts; panic signals in
// panic-probe.ts; the VM's own view in vm-monitor.ts. All-stop: one stop stops every vCPU.

import { EventEmitter } from "node:events";
import {
  continueExecution,
  deleteBreakpoints,
  finish,
  insertBreakpoint,
  interrupt,
  next,
  nextInstruction,
  step,
  stepInstruction,
  type GdbClient,
  type OutputEvent,
  type StopEvent,
} from "../../gdb";
import { ToroError } from "../errors";
import type { QemuInstance } from "../qemu/qemu-instance";
import type { GuestRun } from "../run/guest-run";
import type { QmpClient } from "../qemu/qmp-client";
import type { SerialLine } from "../qemu/serial-line";
import { TelemetryPoller } from "../telemetry/telemetry-poller";
import type { TelemetrySource } from "../telemetry/telemetry-reader";
import { describeEnd, type TargetEnd } from "./target-end";
import { KernelThreads } from "./kernel-threads";
import { insertPanicBreakpoint, PanicWatch, parsePanicLine } from "./panic-probe";
import { RunAwareClock } from "./run-aware-clock";
import { buildTargetStop, type TargetStop } from "./target-stop";
import { resetVm, restoreRebootAction } from "./vm-reset";
import { VmMonitor } from "./vm-monitor";

export type StepKind = "over" | "into" | "out" | "instruction" | "instruction-over";

export interface DebugTargetParts {
  origin: "launched" | "attached";
  gdb: GdbClient;
  kernelElf: string;
  cpuCount: number;
  gdbstub: { host: string; port: number };
  /** The VM this session started (launch only): its QEMU and its telemetry stream, over `clock`. */
  run?: GuestRun;
  /** The clock of run's poller; default a new one (attach). */
  clock?: RunAwareClock;
  /** Where an attached VM's telemetry is read (QMP or GDB); unused when `run` is given. */
  telemetrySource?: TelemetrySource;
  /** QMP of the launched QEMU, or of an attached one given its socket. */
  qmp?: QmpClient;
  /** The panic breakpoint, when it was inserted before the target was connected (debugger-start.ts). */
  panicBreakpoint?: number;
  /** Trace sink for the log file. */
  log?: (text: string) => void;
  /** The SSH tunnel an attach goes through (ssh-tunnel.ts), closed last when the target is disposed. */
  tunnel?: { close(): Promise<void> };
}

interface DebugTargetEvents {
  stopped: [TargetStop];
  serialLine: [SerialLine];
  gdbOutput: [OutputEvent];
  /** QEMU or GDB went away on their own; call dispose() to clean up what is left. */
  ended: [TargetEnd];
}

const QEMU_EXIT_WAIT_MS = 2_000;

export class DebugTarget extends EventEmitter<DebugTargetEvents> {
  readonly clock: RunAwareClock;
  /** The VM's telemetry stream: the session's telemetry events start it; threads and scopes poll it. */
  readonly poller: TelemetryPoller;
  readonly vm: VmMonitor | undefined;
  /** The kernel's threads and their stacks while the VM is stopped (through GDB). */
  readonly kernelThreads: KernelThreads;
  private panicBreakpoint: number | undefined;
  private entryBreakpoint: number | undefined;
  private readonly panicWatch = new PanicWatch((panic) => {
    this.parts.log?.(`panic seen while running (cpu ${panic.core}): interrupting`);
    interrupt(this.gdb).catch(() => undefined);
  });
  /** Why the VM cannot run until it is reset (it shut down), undefined when it can. */
  private shutdownDescription: string | undefined;
  private rebootActionToRestore = false;
  /** Set while whileStopped() waits for the stop of its own interrupt, which is then not reported. */
  private internalStop: { swallowed: boolean } | undefined;
  private exclusive: Promise<unknown> = Promise.resolve();
  private hasEnded = false;
  private disposal: Promise<void> | undefined;

  constructor(readonly parts: DebugTargetParts) {
    super();
    this.panicBreakpoint = parts.panicBreakpoint;
    this.clock = parts.clock ?? new RunAwareClock();
    this.poller =
      parts.run?.poller ?? new TelemetryPoller({ source: parts.telemetrySource!, clock: this.clock });
    this.vm = parts.qmp === undefined ? undefined : new VmMonitor(parts.qmp);
    this.kernelThreads = new KernelThreads(parts.gdb);
    parts.qmp?.onEvent((event) =>
      parts.log?.(`qmp event ${event.event} ${JSON.stringify(event.data ?? {})}`),
    );
    this.wire();
  }

  get gdb(): GdbClient {
    return this.parts.gdb;
  }

  /** The QEMU this session started (launch only). */
  get qemu(): QemuInstance | undefined {
    return this.parts.run?.qemu;
  }

  get cpuCount(): number {
    return this.parts.cpuCount;
  }

  get state(): "running" | "stopped" | "ended" {
    if (this.hasEnded) return "ended";
    return this.gdb.state === "running" ? "running" : "stopped";
  }

  /** Whether panics and CPU exceptions stop the VM (the panic breakpoint plus the serial/telemetry watch). */
  async setPanicStops(enabled: boolean): Promise<void> {
    this.panicWatch.enabled = enabled;
    if (enabled && this.panicBreakpoint === undefined) {
      this.panicBreakpoint = await this.whileStopped(() => insertPanicBreakpoint(this.gdb));
    } else if (!enabled && this.panicBreakpoint !== undefined) {
      const number = this.panicBreakpoint;
      this.panicBreakpoint = undefined;
      await this.whileStopped(() => deleteBreakpoints(this.gdb, [number]));
    }
  }

  async continue(): Promise<void> {
    this.refuseIfShutDown();
    await continueExecution(this.gdb);
  }

  async step(kind: StepKind, threadId: number): Promise<void> {
    this.refuseIfShutDown();
    const options = { threadId };
    const actions = {
      over: next,
      into: step,
      out: finish,
      instruction: stepInstruction,
      "instruction-over": nextInstruction,
    };
    await actions[kind](this.gdb, options);
  }

  /** Stops a running VM (the stop arrives as a `pause` event); does nothing when it is stopped already. */
  async pause(): Promise<void> {
    await interrupt(this.gdb);
  }

  /** Runs to the app's `main` (a temporary breakpoint, reported as an `entry` stop). */
  async runToEntry(): Promise<void> {
    this.refuseIfShutDown();
    const record = await insertBreakpoint(this.gdb, {
      location: { kind: "function", name: "main" },
      lifetime: "temporary",
    });
    this.entryBreakpoint = record.number;
    await continueExecution(this.gdb);
  }

  /**
   * Runs `action` with the VM stopped: a running VM is interrupted first (that stop is not reported) and
   * resumed afterwards, unless a real stop (a breakpoint) arrived meanwhile, which is then reported as usual.
   */
  whileStopped<Result>(action: () => Promise<Result>): Promise<Result> {
    return this.exclusively(async () => {
      const swallowed = await this.stopQuietly();
      try {
        return await action();
      } finally {
        if (swallowed && !this.hasEnded) await continueExecution(this.gdb);
      }
    });
  }

  /** Resets the VM through QMP (breakpoints stay); the VM is left stopped, ready for continue/runToEntry. */
  async restart(): Promise<void> {
    const qmp = this.parts.qmp;
    if (qmp === undefined) {
      throw new ToroError("restart needs QEMU's QMP socket", 'Attach with "qmpSocket", or launch instead.');
    }
    await this.exclusively(() => this.stopQuietly());
    await resetVm(qmp, this.parts.origin === "launched", this.gdb);
    this.rebootActionToRestore = this.parts.origin === "launched";
    this.shutdownDescription = undefined;
    this.panicWatch.reset();
    // A restart before `main` was reached leaves the entry breakpoint armed: runToEntry makes a new one.
    if (this.entryBreakpoint !== undefined)
      await deleteBreakpoints(this.gdb, [this.entryBreakpoint]).catch(() => undefined);
    this.entryBreakpoint = undefined;
    this.vm?.clearShutdown();
    this.clock.reset();
    this.clock.vmStopped();
  }

  /** Ends the session: `terminate` ends QEMU (launched or attached), `detach` leaves an attached QEMU running. */
  dispose(mode: "terminate" | "detach"): Promise<void> {
    this.disposal ??= this.performDispose(mode);
    return this.disposal;
  }

  private async performDispose(mode: "terminate" | "detach"): Promise<void> {
    this.hasEnded = true;
    await this.poller.close().catch(() => undefined);
    this.vm?.close();
    const { gdb, run, qmp, origin } = this.parts;
    if (origin === "launched") {
      await gdb.shutdown(run?.qemu.hasExited === true ? "disconnect" : "kill");
      await run?.stop();
    } else {
      await gdb.shutdown(mode === "terminate" ? "kill" : "detach");
      qmp?.close();
      await this.parts.tunnel?.close();
    }
  }

  /** Runs `work` after every earlier exclusive section has finished (they stop and resume the VM). */
  private exclusively<Result>(work: () => Promise<Result>): Promise<Result> {
    const result = this.exclusive.then(work, work);
    this.exclusive = result.catch(() => undefined);
    return result;
  }

  /** Stops a running VM without reporting the stop; returns whether it did (false: already stopped). */
  private async stopQuietly(): Promise<boolean> {
    if (this.gdb.state !== "running") return false;
    const token = { swallowed: false };
    this.internalStop = token;
    try {
      await this.gdb.untilStopped(() => interrupt(this.gdb));
    } finally {
      this.internalStop = undefined;
    }
    return token.swallowed;
  }

  private refuseIfShutDown(): void {
    if (this.shutdownDescription !== undefined) throw new ToroError(this.shutdownDescription);
  }

  private wire(): void {
    const { gdb, log } = this.parts;
    const qemu = this.qemu;
    gdb.on("stopped", (event) => this.onGdbStopped(event));
    gdb.on("running", () => this.clock.vmResumed());
    gdb.on("output", (event) => this.emit("gdbOutput", event));
    gdb.on("exited", (exit) => this.end({ cause: "gdb-exited", gdbExit: exit }));
    gdb.on("targetDisconnected", () => void this.onTargetDisconnected());
    qemu?.serial.onLine((line) => this.onSerialLine(line));
    void qemu?.exited.then((exit) => this.end({ cause: "qemu-exited", qemuExit: exit }));
    this.poller.onPoll((poll) => {
      const panic = poll.sample?.snapshot.global.panic;
      if (panic !== null && panic !== undefined)
        this.panicWatch.observe({ core: panic.core, message: panic.message }, this.state === "running");
    });
    log?.(
      `target ${this.parts.origin}: ${this.parts.cpuCount} vCPUs, gdbstub ${this.parts.gdbstub.host}:${this.parts.gdbstub.port}`,
    );
  }

  private onGdbStopped(event: StopEvent): void {
    this.clock.vmStopped();
    const token = this.internalStop;
    if (token !== undefined && event.signalName === "SIGINT" && this.panicWatch.pending === undefined) {
      token.swallowed = true;
      return;
    }
    this.reportStop(event).catch((error: unknown) => {
      // Never lose a stop: report it plainly if reading its details failed (GDB going away, mostly).
      this.parts.log?.(`stop details failed: ${String(error)}`);
      if (!this.hasEnded)
        this.emit("stopped", { kind: "signal", threadId: event.threadId ?? 1, gdbStop: event });
    });
  }

  private async reportStop(event: StopEvent): Promise<void> {
    const stop = await buildTargetStop(event, {
      gdb: this.gdb,
      vm: this.vm,
      panicBreakpoint: this.panicBreakpoint,
      entryBreakpoint: this.entryBreakpoint,
      pendingPanic: this.panicWatch.pending,
    });
    if (stop === undefined) return;
    if (event.frame?.functionName !== undefined) this.restoreRebootAction();
    if (stop.kind === "entry") this.entryBreakpoint = undefined;
    if (stop.kind === "panic") this.panicWatch.markReported();
    if (stop.kind === "shutdown") this.shutdownDescription = stop.shutdown?.description;
    if (!this.hasEnded) this.emit("stopped", stop);
  }

  private onSerialLine(line: SerialLine): void {
    this.parts.log?.(`serial ${line.text}`);
    if (line.core !== null) this.restoreRebootAction();
    this.emit("serialLine", line);
    const panic = parsePanicLine(line.message);
    if (panic !== undefined) this.panicWatch.observe(panic, this.state === "running");
  }

  /** After a reset, triple faults pause the VM again once the firmware (which resets once itself) is done. */
  private restoreRebootAction(): void {
    if (!this.rebootActionToRestore || this.parts.qmp === undefined) return;
    this.rebootActionToRestore = false;
    restoreRebootAction(this.parts.qmp);
  }

  private async onTargetDisconnected(): Promise<void> {
    const qemu = this.qemu;
    if (qemu !== undefined) {
      // QEMU exiting also drops GDB's connection; wait for its exit status, which says more.
      const exited = await Promise.race([
        qemu.exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), QEMU_EXIT_WAIT_MS)),
      ]);
      if (exited) return;
    }
    this.end({ cause: "target-lost" });
  }

  private end(end: Omit<TargetEnd, "message">): void {
    if (this.hasEnded) return;
    this.hasEnded = true;
    const full: TargetEnd = { ...end, message: describeEnd(end, this.qemu?.stderr) };
    this.parts.log?.(`target ended: ${full.message}`);
    this.emit("ended", full);
  }
}
