// spare-adapter.ts - one debug adapter process started before F5 needs it: `node dist/adapter.js --spare
// <socket> --gdb <gdbPath>` (debug-adapter/src/adapter.ts), which starts its GDB at once and listens on a unix
// socket in a private 0700 directory made here, so F5 pays neither node's nor GDB's start-up. VS Code reaches
// it through a DebugAdapterNamedPipeServer (adapter-factory.ts). Node only (no vscode), so the unit tests run
// the real adapter.
//
// Contract: every spare is reaped and its directory removed. `stop` ends one that is not serving: its stdin
// is closed (the adapter ends its GDB and exits), then SIGTERM, then SIGKILL if it lingers. `retire` ends
// one that served a session: it exits on its own when VS Code closes the connection, and is stopped after
// a grace period otherwise. If the extension host dies, the adapter sees its stdin end and cleans up alone.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface SpareAdapterOptions {
  /** The Node (or Electron as Node) that runs the adapter. */
  nodePath: string;
  /** dist/adapter.js. */
  adapterScript: string;
  /** The GDB its spare GDB runs (a launch with another gdbPath starts its own). */
  gdbPath: string;
  /** Where the private socket directory is made; default os.tmpdir(). */
  parentDirectory?: string;
  /** Lines for the Toro output channel (a spare that failed, its stderr). */
  log?: (text: string) => void;
}

/** How long a spare may take to listen before F5 goes without it. */
const READY_TIMEOUT_MS = 10_000;
/** How long each step of stopping (stdin closed, SIGTERM) waits before the next one. */
const STOP_STEP_MS = 3_000;
/** How long a spare that served a session gets to exit on its own after the session ends. */
const RETIRE_GRACE_MS = 5_000;

export class SpareAdapter {
  readonly directory: string;
  readonly socketPath: string;
  /** True once the adapter listens; false if it exited, failed or took too long first. */
  readonly ready: Promise<boolean>;
  /** Settles when the process has exited (and been reaped) and the directory is removed. */
  readonly exited: Promise<void>;
  private readonly child: ChildProcessWithoutNullStreams;
  private hasExited = false;
  private stopping: Promise<void> | undefined;

  private constructor(readonly options: SpareAdapterOptions) {
    this.directory = fs.mkdtempSync(path.join(options.parentDirectory ?? os.tmpdir(), "toro-adapter-"));
    fs.chmodSync(this.directory, 0o700); // mkdtemp makes it 0700 already; say it, it is the contract
    this.socketPath = path.join(this.directory, "dap.sock");
    this.child = spawn(
      options.nodePath,
      [options.adapterScript, "--spare", this.socketPath, "--gdb", options.gdbPath],
      { env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" }, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stderr = "";
    this.child.stderr.on(
      "data",
      (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-2000)),
    );
    this.child.stdin.on("error", () => undefined); // closed by an adapter that already exited
    let resolveExited: () => void = () => undefined;
    this.exited = new Promise<void>((resolve) => (resolveExited = resolve));
    const gone = () => {
      this.hasExited = true;
      fs.rmSync(this.directory, { recursive: true, force: true });
      resolveExited();
    };
    this.child.once("close", (code, signal) => {
      if (code !== 0 && signal === null)
        options.log?.(`spare debug adapter exited with code ${code}: ${stderr.trim()}`);
      gone();
    });
    this.child.once("error", (error) => {
      options.log?.(`spare debug adapter could not start: ${error.message}`);
      if (this.child.pid === undefined) gone(); // never ran: no "close" to wait for
    });
    this.ready = this.listening();
  }

  static start(options: SpareAdapterOptions): SpareAdapter {
    return new SpareAdapter(options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.hasExited && this.child.pid !== undefined;
  }

  private listening(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let text = "";
      const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
      this.child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
        if (text.includes("listening\n")) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      this.child.once("close", () => {
        clearTimeout(timer);
        resolve(false);
      });
      this.child.once("error", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  /** Ends a spare that is not serving (or no longer should): stdin closed, then SIGTERM, then SIGKILL. */
  stop(): Promise<void> {
    this.stopping ??= this.escalate(0);
    return this.stopping;
  }

  /** Ends a spare whose session is over: it exits on its own; stopped after a grace period otherwise. */
  retire(): Promise<void> {
    this.stopping ??= this.escalate(RETIRE_GRACE_MS);
    return this.stopping;
  }

  private async escalate(graceMs: number): Promise<void> {
    if (!this.alive) return this.exited;
    const exitedWithin = (ms: number) =>
      Promise.race([
        this.exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
      ]);
    if (graceMs > 0 && (await exitedWithin(graceMs))) return;
    this.child.stdin.end();
    if (await exitedWithin(STOP_STEP_MS)) return;
    this.child.kill("SIGTERM");
    if (await exitedWithin(STOP_STEP_MS)) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }
}
