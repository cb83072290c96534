// gdb-process.ts - the ONE module that touches gdb-js: spawns `gdb --interpreter=mi`, hands the child to
// gdb-js, sends MI commands through it and reports its records as plain callbacks. Pairs with gdb-client.ts
// (target state, typed errors and events on top) and mi-line-guard.ts (the line filter below).
// gdb-js 1.3.0 quirks worked around here (marked QUIRK n where handled):
//  1. Its babel build calls a global `regeneratorRuntime` inside its async helpers: loaded first, below.
//  2. It writes with stdin.write(text, { binary: true }); Node 20 throws "Unknown encoding": a stdin shim
//     drops the options (and traces every command).
//  3. enableAsync() forces non-stop mode, which QEMU's all-stop single-client gdbstub refuses, and without it
//     interrupt() sends SIGINT to gdb. Neither is used: gdb-client.ts sets `mi-async on` + `non-stop off`
//     (all-stop, asynchronous), where `-exec-interrupt` stops QEMU cleanly.
//  4. Its MI parser throws on result names with capitals (-break-list's `BreakpointTable`) and on octal
//     escapes that are not UTF-8, inside a stream with no error handler: the throw kills the Node process.
//     Every line passes mi-line-guard.ts first (repaired, replaced by an ^error, or dropped).
//  5. Its own 'stopped' handler reads `frame.fullname` whenever `thread-id` is present; the guard adds an
//     empty frame to stop records that lack one.
//  6. It decodes stdout chunk by chunk, splitting multi-byte UTF-8 characters; we decode with a
//     StringDecoder and hand it whole lines.
//  7. It matches replies to commands by order, has no timeout, and its promises never settle once GDB is
//     gone; we settle the in-flight command ourselves on exit (timeouts live in gdb-client.ts).
//  8. Its console/log/target streams are observers that buffer forever unless consumed: all three are.
//  9. Its errors read `Error while executing "<command>". <msg>` and drop MI's error code; we strip the
//     prefix to recover GDB's own message.
// 10. Its higher helpers (init, threads, addBreak, callstack...) need its Python scripts or non-stop mode;
//     only execMI and the raw 'exec'/'notify'/'status' events are used.
// 11. It acts on `<gdbjs:...>` markers in any console text (JSON.parse, emit(<name>), even 'error') though
//     its scripts are never loaded; the guard breaks such markers, which a guest string could carry.

// QUIRK 1: must run before gdb-js is loaded.
import "regenerator-runtime/runtime";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { PassThrough } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { GDB, _parseMI, type GdbJsAsyncRecord, type GdbJsError } from "gdb-js";

import { GdbNotFoundError } from "./errors";
import { guardMiLine, type GuardOutcome } from "./mi-line-guard";
import type { MiTuple } from "./mi/values";

/** Arguments for every GDB we start: MI, quiet, and no init files (a workspace .gdbinit runs nothing). */
const GDB_ARGUMENTS = ["--nx", "--quiet", "--interpreter=mi"];

/** How many lines of GDB's standard error are kept for error messages. */
const STANDARD_ERROR_LINES_KEPT = 20;

export type AsyncRecordKind = "exec" | "notify" | "status";
export type StreamKind = "console" | "log" | "target";

/** One line of the conversation, for log files: what we sent, what GDB printed, what the guard did. */
export interface GdbTraceEntry {
  direction: "command" | "output" | "stderr" | "guard";
  text: string;
}

export interface GdbProcessOptions {
  gdbPath: string;
  /**
   * CLI commands GDB runs before its first prompt (`-iex`, one argument each: no shell, no quoting), such as
   * settings, so they cost no round trip. GDB reports a failing one on its log stream and carries on.
   */
  startupCommands?: readonly string[];
  workingDirectory?: string;
  onTrace?: (entry: GdbTraceEntry) => void;
}

/** Receives everything GDB says outside command replies. Called synchronously, in output order. */
export interface GdbProcessListener {
  asyncRecord(kind: AsyncRecordKind, className: string, results: MiTuple): void;
  /** Stream text not captured as a command's console output. */
  streamOutput(stream: StreamKind, text: string): void;
  /** GDB's process is gone and its pipes are closed. Called once. */
  closed(exitCode: number | null, exitSignal: NodeJS.Signals | null): void;
}

/** The outcome of one command. `consoleOutput` is the console text GDB printed while executing it. */
export type GdbReply =
  | { kind: "done"; results: MiTuple; consoleOutput: string }
  | { kind: "error"; miMessage: string; consoleOutput: string }
  | { kind: "closed" };

interface InFlightCommand {
  consoleOutput: string[];
  settle(reply: GdbReply): void;
}

export class GdbProcess {
  private readonly gdb: GDB;
  /** What gdb-js reads as GDB's stdout: the guarded lines only (QUIRKS 4-6). */
  private readonly guardedOutput = new PassThrough();
  private readonly decoder = new StringDecoder("utf8");
  private partialLine = "";
  private readonly standardError: string[] = [];
  private inFlight: InFlightCommand | undefined;
  private started = false;
  private closedWith: { exitCode: number | null; exitSignal: NodeJS.Signals | null } | undefined;
  private readonly closedPromise: Promise<void>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly options: GdbProcessOptions,
    private readonly listener: GdbProcessListener,
  ) {
    // QUIRK 2: the shim gdb-js writes through; the options object it passes is dropped.
    const stdinShim = {
      write: (text: string): boolean => {
        this.trace("command", text.replace(/\n$/, ""));
        return child.stdin.writable ? child.stdin.write(text) : false;
      },
    };
    this.gdb = new GDB({
      stdin: stdinShim,
      stdout: this.guardedOutput,
      stderr: child.stderr,
      kill: (signal) => child.kill(signal),
    });
    this.gdb.on("exec", (record: GdbJsAsyncRecord) => this.forwardAsync("exec", record));
    this.gdb.on("notify", (record: GdbJsAsyncRecord) => this.forwardAsync("notify", record));
    this.gdb.on("status", (record: GdbJsAsyncRecord) => this.forwardAsync("status", record));
    // QUIRK 8: consume every stream gdb-js exposes.
    this.gdb.consoleStream.each((text) => this.onConsoleText(text));
    this.gdb.logStream.each((text) => this.forwardStream("log", text));
    this.gdb.targetStream.each((text) => this.forwardStream("target", text));

    child.stdout.on("data", (chunk: Buffer) => this.onStandardOutput(this.decoder.write(chunk)));
    child.stdout.on("end", () => this.onStandardOutput(this.decoder.end() + "\n"));
    child.stderr.on("data", (chunk: Buffer) => this.onStandardError(chunk.toString("utf8")));
    child.stdin.on("error", (error) => this.trace("guard", `stdin: ${error.message}`));
    this.closedPromise = new Promise((resolve) => {
      child.once("close", (exitCode, exitSignal) => {
        this.onClosed(exitCode, exitSignal);
        resolve();
      });
    });
  }

  /** Starts GDB. Rejects with GdbNotFoundError when the executable cannot be spawned. */
  static start(options: GdbProcessOptions, listener: GdbProcessListener): Promise<GdbProcess> {
    const startup = (options.startupCommands ?? []).flatMap((command) => ["-iex", command]);
    const child = spawn(options.gdbPath, [...startup, ...GDB_ARGUMENTS], {
      cwd: options.workingDirectory,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const gdbProcess = new GdbProcess(child, options, listener);
    return new Promise((resolve, reject) => {
      child.once("spawn", () => {
        gdbProcess.started = true;
        resolve(gdbProcess);
      });
      child.once("error", (error: NodeJS.ErrnoException) => {
        if (!gdbProcess.started) {
          reject(new GdbNotFoundError(options.gdbPath, error.code ?? error.message));
        }
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once GDB has exited and its pipes are closed. */
  get hasClosed(): boolean {
    return this.closedWith !== undefined;
  }

  get exitCode(): number | null {
    return this.closedWith?.exitCode ?? null;
  }

  get exitSignal(): NodeJS.Signals | null {
    return this.closedWith?.exitSignal ?? null;
  }

  /** The last lines GDB wrote to standard error (for error messages). */
  recentStandardError(): string {
    return this.standardError.join("\n");
  }

  /** Resolves once GDB has exited and its pipes are closed (never rejects). */
  whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  /** Closes GDB's standard input: GDB exits on end of input, like on `-gdb-exit`. */
  closeInput(): void {
    if (!this.child.stdin.destroyed) {
      this.child.stdin.end();
    }
  }

  /** Sends a signal to GDB; false when it has already exited. */
  signal(signal: NodeJS.Signals): boolean {
    return this.hasClosed ? false : this.child.kill(signal);
  }

  /**
   * Sends one MI command line and resolves with its reply; never rejects. Contract: one command at a time
   * (gdb-client.ts serializes), and `command` is a single line built by mi/command-line.ts.
   */
  execute(command: string): Promise<GdbReply> {
    if (this.closedWith !== undefined) {
      return Promise.resolve({ kind: "closed" });
    }
    if (this.inFlight !== undefined) {
      throw new Error(`GdbProcess: "${command}" sent while another command is in flight`);
    }
    if (command.includes("\n") || command.includes("\r")) {
      throw new RangeError(`GdbProcess: an MI command must be one line: ${JSON.stringify(command)}`);
    }
    return new Promise<GdbReply>((resolve) => {
      const consoleOutput: string[] = [];
      const pending = {
        consoleOutput,
        settle: (reply: GdbReply) => {
          if (this.inFlight === pending) {
            this.inFlight = undefined;
            resolve(reply);
          }
        },
      };
      this.inFlight = pending;
      this.gdb.execMI(command).then(
        (results) =>
          pending.settle({
            kind: "done",
            results: results as MiTuple,
            consoleOutput: consoleOutput.join(""),
          }),
        (error: unknown) =>
          pending.settle({
            kind: "error",
            miMessage: gdbMessageOf(command, error),
            consoleOutput: consoleOutput.join(""),
          }),
      );
    });
  }

  private onStandardOutput(text: string): void {
    this.partialLine += text;
    let newline = this.partialLine.indexOf("\n");
    while (newline >= 0) {
      const line = this.partialLine.slice(0, newline).replace(/\r$/, "");
      this.partialLine = this.partialLine.slice(newline + 1);
      if (line !== "") {
        this.feedLine(line);
      }
      newline = this.partialLine.indexOf("\n");
    }
  }

  /** QUIRKS 4-6 and 11: only whole, guarded lines reach gdb-js. */
  private feedLine(line: string): void {
    this.trace("output", line);
    const outcome = guardLineForGdbJs(line);
    if (outcome.kind !== "unchanged") {
      this.trace("guard", `${outcome.kind}: ${outcome.reason}`);
    }
    if (outcome.kind !== "dropped") {
      this.guardedOutput.write(outcome.line + "\n");
    }
  }

  private onStandardError(text: string): void {
    for (const line of text.split("\n")) {
      if (line.trim() !== "") {
        this.trace("stderr", line);
        this.standardError.push(line);
      }
    }
    this.standardError.splice(0, Math.max(0, this.standardError.length - STANDARD_ERROR_LINES_KEPT));
  }

  private onConsoleText(text: string): void {
    if (this.inFlight !== undefined) {
      this.inFlight.consoleOutput.push(text);
    } else {
      this.forwardStream("console", text);
    }
  }

  private onClosed(exitCode: number | null, exitSignal: NodeJS.Signals | null): void {
    this.closedWith = { exitCode, exitSignal };
    this.guardedOutput.end();
    this.inFlight?.settle({ kind: "closed" });
    if (this.started) {
      this.shielded(() => this.listener.closed(exitCode, exitSignal));
    }
  }

  private forwardAsync(kind: AsyncRecordKind, record: GdbJsAsyncRecord): void {
    this.shielded(() => this.listener.asyncRecord(kind, record.state, record.data as MiTuple));
  }

  private forwardStream(stream: StreamKind, text: string): void {
    if (text !== "") {
      this.shielded(() => this.listener.streamOutput(stream, text));
    }
  }

  /** Listener code runs inside gdb-js's stream callbacks, where a throw would be uncaught: contain it. */
  private shielded(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.trace(
        "guard",
        `listener threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  private trace(direction: GdbTraceEntry["direction"], text: string): void {
    this.options.onTrace?.({ direction, text });
  }
}

/** What gdb-js would be fed for one GDB output line (QUIRK 4); exported for the guard's tests. */
export function guardLineForGdbJs(line: string): GuardOutcome {
  return guardMiLine(line, _parseMI);
}

/** QUIRK 9: recovers GDB's own message from gdb-js's error text. */
function gdbMessageOf(command: string, error: unknown): string {
  const text = error instanceof Error ? (error as GdbJsError).message : String(error);
  const prefix = `Error while executing "${command}". `;
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}
