// gdb-client.ts - one GDB driven in all-stop asynchronous mode: tracks the target state from GDB's records,
// refuses commands the current state cannot take (never sending them), turns replies into typed errors
// whose stacks point at the caller, reports stops as typed events, and shuts down leaving no process.
// Pairs with gdb-process.ts (below: the gdb-js wrapper) and mi/*.ts (above: commands taking a GdbClient).

import { EventEmitter } from "node:events";

import {
  adoptCallSite,
  captureCallSite,
  GdbError,
  GdbExitedError,
  GdbTimeoutError,
  NoTargetError,
  StopTimeoutError,
  TargetRunningError,
  type CallSite,
} from "./errors";
import { GdbProcess, type GdbReply, type GdbTraceEntry, type StreamKind } from "./gdb-process";
import { parseBreakpointRecord, type BreakpointRecord } from "./mi/breakpoint-record";
import { miCommand } from "./mi/command-line";
import type { MiTuple } from "./mi/values";
import { isTargetGone, parseStopEvent, type StopEvent } from "./stop-event";

/** `disconnected`: no target (before `target remote`, after detach/kill or losing QEMU). */
export type TargetState = "disconnected" | "stopped" | "running";

/** The state a command needs. Every command declares one; a command whose need is not met is not sent. */
export type CommandRequirement =
  /** A connected, stopped target: registers, memory, stack, threads, stepping. */
  | "stopped-target"
  /** A target that is not running, or none: loading symbols, breakpoints, console commands. */
  | "target-not-running"
  /** Any time, even while the target runs: interrupt, GDB settings, exit. */
  | "any-state";

export interface CommandOptions {
  requirement: CommandRequirement;
  /** The command resumes the target (continue, step...): the state is `running` from the moment it is sent. */
  resumesTarget?: boolean;
  /** Overrides the client's reply timeout for this command. */
  timeoutMs?: number;
}

export interface CommandResult {
  results: MiTuple;
  /** Console text GDB printed while executing the command (what a CLI user would have seen). */
  consoleOutput: string;
}

/** What shutdown does with a connected target: let QEMU run on, end QEMU, or just drop the connection. */
export type TargetDisposition = "detach" | "kill" | "disconnect";

export interface GdbStartOptions {
  /** The GDB executable; default `gdb` from PATH. */
  gdbPath?: string;
  /** More CLI settings applied at start-up (e.g. `set tcp connect-timeout 3`), after the client's own. */
  settings?: readonly string[];
  workingDirectory?: string;
  /** How long a command may wait for its reply; default 10 s. */
  commandTimeoutMs?: number;
  /** Receives every line sent and received, for log files. */
  onTrace?: (entry: GdbTraceEntry) => void;
}

export interface RunningEvent {
  threadId: "all" | number;
}

export interface OutputEvent {
  stream: StreamKind;
  text: string;
}

export interface ExitEvent {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
}

interface GdbClientEvents {
  /** The target stopped (all vCPUs, all-stop mode). */
  stopped: [StopEvent];
  /** The target resumed. */
  running: [RunningEvent];
  /** The target went away: detached, killed, disconnected, or the connection to QEMU was lost. */
  targetDisconnected: [];
  /** A breakpoint changed; notably its hit count after each hit. */
  breakpointModified: [BreakpointRecord];
  /** Console, log and target text GDB printed outside command replies. */
  output: [OutputEvent];
  /** GDB's process is gone. */
  exited: [ExitEvent];
}

const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/**
 * What every GDB is set up with, as CLI commands run at start-up (`-iex`): all-stop mode (QEMU's gdbstub
 * refuses non-stop) with asynchronous execution (so `-exec-interrupt` can pause a running target), no
 * confirmations, no paging, and never a debuginfod lookup for a kernel image (a GDB built without
 * debuginfod just reports that setting as unknown), and values up to 1 MiB (the default 64 KiB is less than
 * the telemetry block, 123 KiB with 256 cores, which a watch expression may show whole).
 */
const STARTUP_SETTINGS = [
  "set mi-async on",
  "set non-stop off",
  "set confirm off",
  "set pagination off",
  "set width 0",
  "set height 0",
  "set debuginfod enabled off",
  "set max-value-size 1048576",
];

/** Budget for each polite shutdown step (interrupt, detach/kill, exit) before moving on. */
const SHUTDOWN_STEP_MS = 3_000;
/** Budget for all polite shutdown steps together, before GDB is ended by closing its input and signals. */
const SHUTDOWN_GRACE_MS = 5_000;
/** How long GDB gets to exit after each escalation (end of input, SIGTERM) before the next one. */
const REAP_STEP_MS = 1_000;

interface StopWaiter {
  resolve(event: StopEvent): void;
  reject(error: Error): void;
}

export class GdbClient extends EventEmitter<GdbClientEvents> {
  private process!: GdbProcess;
  private targetState: TargetState = "disconnected";
  /** Serializes commands: each one's requirement is checked when its turn comes, not when it was queued. */
  private commandChain: Promise<unknown> = Promise.resolve();
  /** Counts `*running`/`*stopped` records, to tell whether a failed resume command moved the target. */
  private execRecordCount = 0;
  /** Set after a reply timeout: gdb-js's reply queue is then stuck, so nothing more is sent. */
  private stuckAt: { command: string; timeoutMs: number } | undefined;
  private readonly stopWaiters = new Set<StopWaiter>();
  private latestStop: StopEvent | undefined;
  /** The command GDB is executing now, if any. */
  private commandInFlight: string | undefined;
  private shutdownPromise: Promise<void> | undefined;
  private readonly commandTimeoutMs: number;

  private constructor(options: GdbStartOptions) {
    super();
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  /**
   * Starts GDB and sets it up for QEMU: all-stop mode (QEMU's gdbstub refuses non-stop) with asynchronous
   * execution (so `-exec-interrupt` can pause a running target), no confirmations, no paging.
   * Rejects with GdbNotFoundError when GDB cannot be started; never leaves a GDB process behind on failure.
   */
  static async start(options: GdbStartOptions = {}): Promise<GdbClient> {
    const client = new GdbClient(options);
    client.process = await GdbProcess.start(
      {
        gdbPath: options.gdbPath ?? "gdb",
        startupCommands: [...STARTUP_SETTINGS, ...(options.settings ?? [])],
        workingDirectory: options.workingDirectory,
        onTrace: options.onTrace,
      },
      {
        asyncRecord: (kind, className, results) => client.onAsyncRecord(kind, className, results),
        streamOutput: (stream, text) => client.emit("output", { stream, text }),
        closed: (exitCode, exitSignal) => client.onClosed(exitCode, exitSignal),
      },
    );
    try {
      await client.configure();
    } catch (error) {
      await client.shutdown();
      throw error;
    }
    return client;
  }

  get state(): TargetState {
    return this.targetState;
  }

  /** GDB's process id (for the tests' "nothing left behind" checks). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  get hasExited(): boolean {
    return this.process.hasClosed;
  }

  /**
   * Sends one MI command (built with mi/command-line.ts) once every earlier command has finished.
   * Rejects, without sending, with TargetRunningError / NoTargetError when the state does not meet
   * `options.requirement`; rejects with GdbError on `^error`, GdbTimeoutError, or GdbExitedError.
   */
  execute(command: string, options: CommandOptions): Promise<CommandResult> {
    const callSite = captureCallSite(this.execute);
    const run = (): Promise<CommandResult> => this.dispatch(command, options, callSite);
    const result = this.commandChain.then(run, run);
    this.commandChain = result.catch(() => undefined);
    return result;
  }

  /** The most recent stop: where the target is while `state` is `stopped`. */
  get lastStop(): StopEvent | undefined {
    return this.latestStop;
  }

  /**
   * Runs `action` (which resumes or interrupts the target) and resolves with the next stop. The wait is
   * armed before `action` starts, so a stop that arrives before `action`'s reply is not missed; if `action`
   * fails, the wait is dropped and its error thrown. If `action` leaves the target stopped without a new
   * stop (interrupting a target that had already stopped at a breakpoint), resolves with the stop it is
   * in. Rejects with StopTimeoutError after `timeoutMs`, NoTargetError when there is no target.
   */
  async untilStopped(
    action: () => Promise<unknown>,
    timeoutMs = DEFAULT_STOP_TIMEOUT_MS,
  ): Promise<StopEvent> {
    const callSite = captureCallSite(this.untilStopped);
    let waiter: StopWaiter | undefined;
    let timer: NodeJS.Timeout | undefined;
    let arrived = false;
    const stopped = new Promise<StopEvent>((resolve, reject) => {
      waiter = {
        resolve: (event) => {
          arrived = true;
          resolve(event);
        },
        reject,
      };
      this.stopWaiters.add(waiter);
      timer = setTimeout(() => reject(adoptCallSite(new StopTimeoutError(timeoutMs), callSite)), timeoutMs);
    });
    stopped.catch(() => undefined); // observed below; avoids an unhandled rejection if `action` fails first
    try {
      await action();
      if (!arrived && this.targetState === "stopped" && this.latestStop !== undefined) {
        return this.latestStop;
      }
      if (!arrived && this.targetState === "disconnected") {
        throw adoptCallSite(new NoTargetError("(waiting for the target to stop)"), callSite);
      }
      return await stopped;
    } finally {
      clearTimeout(timer);
      if (waiter !== undefined) {
        this.stopWaiters.delete(waiter);
      }
    }
  }

  /**
   * Ends the session and always reaps GDB: pauses a running target, applies `disposition` to a connected
   * one, sends `-gdb-exit`, then SIGTERM and SIGKILL if GDB lingers. Safe to call more than once.
   */
  shutdown(disposition: TargetDisposition = "detach"): Promise<void> {
    this.shutdownPromise ??= this.performShutdown(disposition);
    return this.shutdownPromise;
  }

  /**
   * The settings were given at start-up (STARTUP_SETTINGS); one query checks that they took, which is also
   * the first reply GDB gives. A GDB older than 7.8 knows no `mi-async`: it is set up command by command.
   */
  private async configure(): Promise<void> {
    const setting = { requirement: "any-state" } as const;
    try {
      const { results } = await this.execute("-gdb-show mi-async", setting);
      if (results.value === "on") {
        return;
      }
      await this.execute("-gdb-set mi-async on", setting);
    } catch (error) {
      if (!(error instanceof GdbError)) {
        throw error;
      }
      await this.execute("-gdb-set target-async on", setting); // GDB before 7.8
    }
    await this.execute("-gdb-set non-stop off", setting);
    await this.execute("-gdb-set confirm off", setting);
    await this.execute("-gdb-set pagination off", setting);
    await this.execute("-gdb-set width 0", setting);
    await this.execute("-gdb-set height 0", setting);
    // Never reach out to debuginfod servers for a kernel image; GDBs built without it reject the setting.
    await this.execute("-gdb-set debuginfod enabled off", setting).catch((error: unknown) => {
      if (!(error instanceof GdbError)) {
        throw error;
      }
    });
  }

  private async dispatch(
    command: string,
    options: CommandOptions,
    callSite: CallSite,
  ): Promise<CommandResult> {
    const refusal = this.refusalFor(command, options);
    if (refusal !== undefined) {
      throw adoptCallSite(refusal, callSite);
    }
    const execRecordsBefore = this.execRecordCount;
    if (options.resumesTarget === true) {
      this.targetState = "running";
    }
    this.commandInFlight = command;
    const reply = await this.awaitReply(
      command,
      options.timeoutMs ?? this.commandTimeoutMs,
      callSite,
    ).finally(() => (this.commandInFlight = undefined));
    switch (reply.kind) {
      case "done":
        return { results: reply.results, consoleOutput: reply.consoleOutput };
      case "error":
        // A resume GDB refused left the target where it was (unless GDB reported a state change meanwhile).
        if (options.resumesTarget === true && this.execRecordCount === execRecordsBefore) {
          this.targetState = "stopped";
        }
        throw adoptCallSite(new GdbError(command, reply.miMessage), callSite);
      case "closed":
        throw adoptCallSite(this.exitedError(command), callSite);
    }
  }

  private refusalFor(command: string, options: CommandOptions): Error | undefined {
    if (this.process.hasClosed) {
      return this.exitedError(command);
    }
    if (this.stuckAt !== undefined) {
      return new GdbTimeoutError(this.stuckAt.command, this.stuckAt.timeoutMs, command);
    }
    const requirement = options.resumesTarget === true ? "stopped-target" : options.requirement;
    if (this.targetState === "running" && requirement !== "any-state") {
      return new TargetRunningError(command);
    }
    if (this.targetState === "disconnected" && requirement === "stopped-target") {
      return new NoTargetError(command);
    }
    return undefined;
  }

  private async awaitReply(command: string, timeoutMs: number, callSite: CallSite): Promise<GdbReply> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
      const outcome = await Promise.race([this.process.execute(command), timeout]);
      if (outcome === "timeout") {
        this.stuckAt = { command, timeoutMs };
        throw adoptCallSite(new GdbTimeoutError(command, timeoutMs), callSite);
      }
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  private exitedError(command: string): GdbExitedError {
    return new GdbExitedError(
      command,
      this.process.exitCode,
      this.process.exitSignal,
      this.process.recentStandardError(),
    );
  }

  private onAsyncRecord(kind: string, className: string, results: MiTuple): void {
    if (kind === "exec" && className === "running") {
      this.execRecordCount += 1;
      this.targetState = "running";
      const threadId = results["thread-id"];
      this.emit("running", {
        threadId: typeof threadId === "string" && threadId !== "all" ? Number.parseInt(threadId, 10) : "all",
      });
    } else if (kind === "exec" && className === "stopped") {
      this.execRecordCount += 1;
      const event = parseStopEvent(results);
      this.targetState = isTargetGone(event) ? "disconnected" : "stopped";
      this.latestStop = event;
      for (const waiter of this.stopWaiters) {
        waiter.resolve(event);
      }
      this.stopWaiters.clear();
      this.emit("stopped", event);
    } else if (
      kind === "notify" &&
      className === "thread-group-started" &&
      this.targetState === "disconnected"
    ) {
      // `target remote` stops the target on connect; GDB's `*stopped` for it follows.
      this.targetState = "stopped";
    } else if (kind === "notify" && className === "thread-group-exited") {
      this.targetState = "disconnected";
      this.rejectStopWaiters(new NoTargetError("(waiting for the target to stop)"));
      this.emit("targetDisconnected");
    } else if (kind === "notify" && className === "breakpoint-modified" && results.bkpt !== undefined) {
      this.emit("breakpointModified", parseBreakpointRecord("=breakpoint-modified", results.bkpt));
    }
  }

  private onClosed(exitCode: number | null, exitSignal: NodeJS.Signals | null): void {
    this.targetState = "disconnected";
    this.rejectStopWaiters(this.exitedError("(waiting for the target to stop)"));
    this.emit("exited", { exitCode, exitSignal });
  }

  private rejectStopWaiters(error: Error): void {
    for (const waiter of this.stopWaiters) {
      waiter.reject(error);
    }
    this.stopWaiters.clear();
  }

  private async performShutdown(disposition: TargetDisposition): Promise<void> {
    // The polite steps queue behind any command in flight (a `target remote` can retry for 15 s), so they
    // get a total budget; after it GDB is ended regardless, which also settles whatever was waiting.
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
    });
    try {
      await Promise.race([this.leaveGracefully(disposition), budget]);
    } finally {
      clearTimeout(timer);
      await this.reap();
    }
  }

  /** Pause, let go of the target as asked, `-gdb-exit`. Never rejects: every step is best effort. */
  private async leaveGracefully(disposition: TargetDisposition): Promise<void> {
    const step = { timeoutMs: SHUTDOWN_STEP_MS };
    if (this.commandInFlight?.startsWith("-target-select") === true) {
      // GDB retries a refused connection for up to 15 s; SIGINT ends that wait with an ^error at once.
      this.process.signal("SIGINT");
    }
    if (this.targetState === "running") {
      await this.untilStopped(
        () => this.execute("-exec-interrupt", { requirement: "any-state", ...step }),
        SHUTDOWN_STEP_MS,
      ).catch(() => undefined);
    }
    if (this.targetState === "stopped") {
      const command =
        disposition === "kill"
          ? miCommand("-interpreter-exec", "console", "kill")
          : disposition === "disconnect"
            ? "-target-disconnect"
            : "-target-detach";
      await this.execute(command, { requirement: "target-not-running", ...step }).catch(() => undefined);
    }
    await this.execute("-gdb-exit", { requirement: "any-state", ...step }).catch(() => undefined);
  }

  /** Waits for GDB to exit, escalating from end of input to SIGTERM to SIGKILL. Returns once it is reaped. */
  private async reap(): Promise<void> {
    const escalations = [() => this.process.closeInput(), () => this.process.signal("SIGTERM")];
    for (const escalate of escalations) {
      if (await this.closedWithin(REAP_STEP_MS)) {
        return;
      }
      escalate();
    }
    if (!(await this.closedWithin(REAP_STEP_MS))) {
      this.process.signal("SIGKILL");
    }
    await this.process.whenClosed();
  }

  private async closedWithin(milliseconds: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), milliseconds);
    });
    try {
      return await Promise.race([this.process.whenClosed().then(() => true), elapsed]);
    } finally {
      clearTimeout(timer);
    }
  }
}
