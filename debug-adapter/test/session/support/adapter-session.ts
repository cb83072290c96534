// adapter-session.ts - the one shared setup of the DAP session tests: starts `dist/adapter.js` as a process
// with DebugClient (from @vscode/debugadapter-testsupport), or as a spare adapter (`--spare`: the test
// starts it, waits for "listening" and connects DebugClient to its unix socket, as VS Code does), with its own TMPDIR so every private directory
// QEMU gets lands in a per-test folder; records every DAP message in a per-test transcript next to the
// adapter's own trace (`logFile`); and at the end checks that QEMU, GDB and the adapter are gone and that no
// file is left. The per-test folder is removed unless the test failed (its path is then printed).

import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DebugClient } from "@vscode/debugadapter-testsupport";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { expect, onTestFinished } from "vitest";
import {
  TORO_TELEMETRY_EVENT,
  type ToroSessionBody,
  type ToroTelemetryBody,
} from "../../../src/protocol/toro-protocol";
import { ADAPTER_PATH } from "./fixture-app";
import { descendants, isAlive, waitUntilGone } from "../../helpers/processes";

/** Generous: the machine is small and shared; no test asserts on timing. */
export const EVENT_TIMEOUT_MS = 60_000;

export type StopBody = DebugProtocol.StoppedEvent["body"] & { threadId: number };
type AnyEvent = DebugProtocol.Event & { body?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface OpenOptions {
  /** Extra environment for the adapter process (e.g. CC, PATH). */
  environment?: NodeJS.ProcessEnv;
  /** Start it as a spare adapter whose spare GDB runs `gdbPath` (`--spare <socket> --gdb <gdbPath>`). */
  spare?: { gdbPath: string };
}

export class AdapterSession {
  readonly client: DebugClient;
  /** Every event received, in order. */
  readonly events: AnyEvent[] = [];
  /** Set by the `toroSession` event once a launch or attach has connected. */
  info: ToroSessionBody | undefined;
  adapterPid: number | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly transcript: number;
  private closed = false;

  private constructor(
    readonly directory: string,
    readonly temporaryDirectory: string,
    options: OpenOptions,
  ) {
    this.transcript = fs.openSync(path.join(directory, "dap-transcript.log"), "w");
    this.client = new DebugClient("node", ADAPTER_PATH, "toro", {
      env: { ...process.env, TMPDIR: temporaryDirectory, ...options.environment },
    });
    this.client.defaultTimeout = EVENT_TIMEOUT_MS;
    this.record();
  }

  /** Opens a session for the current test; it is closed (and checked) when the test ends. */
  static async open(label: string, options: OpenOptions = {}): Promise<AdapterSession> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), `toro-dap-${label}-`));
    const temporaryDirectory = path.join(directory, "tmp");
    fs.mkdirSync(temporaryDirectory);
    const session = new AdapterSession(directory, temporaryDirectory, options);
    onTestFinished(async (context) => {
      await session.close().catch(() => undefined);
      // The result is already known here (onTestFailed would run after this hook).
      const failed = context.task.result?.state === "fail";
      if (failed) console.error(`session test logs kept in ${directory}`);
      else fs.rmSync(directory, { recursive: true, force: true });
    });
    if (options.spare !== undefined) {
      const child = await session.startSpare(options.spare.gdbPath, options.environment);
      session.adapterPid = child.pid;
      return session;
    }
    await session.client.start();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const child = (session.client as any)._adapterProcess as import("node:child_process").ChildProcess;
    session.adapterPid = child.pid;
    child.stderr?.on("data", (chunk: Buffer) => session.note(`adapter stderr: ${chunk.toString("utf8")}`));
    return session;
  }

  /** A spare adapter's process (its stdin stays open: closing it ends an idle spare). */
  spare: ChildProcess | undefined;

  /** Starts `dist/adapter.js --spare` with its socket in a 0700 folder, waits until it listens, connects. */
  private async startSpare(
    gdbPath: string,
    environment: NodeJS.ProcessEnv | undefined,
  ): Promise<ChildProcess> {
    const socketDirectory = fs.mkdtempSync(path.join(this.directory, "spare-"));
    const socketPath = path.join(socketDirectory, "dap.sock");
    const child = spawn("node", [ADAPTER_PATH, "--spare", socketPath, "--gdb", gdbPath], {
      env: { ...process.env, TMPDIR: this.temporaryDirectory, ...environment },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.spare = child;
    child.stderr.on("data", (chunk: Buffer) => this.note(`adapter stderr: ${chunk.toString("utf8")}`));
    await new Promise<void>((resolve, reject) => {
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
        if (text.includes("listening\n")) resolve();
      });
      child.once("close", (code) => reject(new Error(`the spare adapter exited (${code}) before listening`)));
    });
    const socket = net.createConnection(socketPath);
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    // DebugClient.start(port) takes TCP only; connect() is what it calls for a stream (protected).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (this.client as any).connect(socket, socket);
    return child;
  }

  get adapterLog(): string {
    return path.join(this.directory, "adapter.log");
  }

  /** initialize, launch, (configure), configurationDone; resolves with the launch response. */
  launch(
    launchArguments: Record<string, unknown>,
    configure: () => Promise<void> = async () => undefined,
  ): Promise<DebugProtocol.Response> {
    return this.begin("launch", launchArguments, configure);
  }

  /** initialize, attach, (configure), configurationDone; resolves with the attach response. */
  attach(
    attachArguments: Record<string, unknown>,
    configure: () => Promise<void> = async () => undefined,
  ): Promise<DebugProtocol.Response> {
    return this.begin("attach", attachArguments, configure);
  }

  private async begin(
    request: "launch" | "attach",
    startArguments: Record<string, unknown>,
    configure: () => Promise<void>,
  ): Promise<DebugProtocol.Response> {
    await this.client.initializeRequest();
    const mark = this.events.length;
    const started = this.client.send(request, { logFile: this.adapterLog, ...startArguments });
    started.catch(() => undefined);
    const initialized = this.waitFor("initialized", { after: mark });
    await Promise.race([initialized, started]);
    await initialized;
    this.info = (await this.waitFor("toroSession", { after: mark })).body as ToroSessionBody;
    await configure();
    await this.client.configurationDoneRequest();
    return started;
  }

  /** initialize then launch, expecting the launch to fail; returns the error message. */
  async launchError(launchArguments: Record<string, unknown>): Promise<string> {
    await this.client.initializeRequest();
    const error = await this.client
      .launchRequest({ logFile: this.adapterLog, ...launchArguments } as DebugProtocol.LaunchRequestArguments)
      .then(
        () => undefined,
        (failure: Error) => failure.message,
      );
    expect(error, "the launch should have failed").toBeDefined();
    return error!;
  }

  /** The first event of `type` after index `after` (default: any) that satisfies `predicate`. */
  waitFor(
    type: string,
    options: { after?: number; predicate?: (event: AnyEvent) => boolean; timeoutMs?: number } = {},
  ): Promise<AnyEvent> {
    const matches = (event: AnyEvent) => event.event === type && (options.predicate?.(event) ?? true);
    const from = options.after ?? 0;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.slice(from).find(matches);
        if (found === undefined) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `no "${type}" event within ${options.timeoutMs ?? EVENT_TIMEOUT_MS} ms (see ${this.directory})`,
          ),
        );
      }, options.timeoutMs ?? EVENT_TIMEOUT_MS);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Runs `action` and returns the next `stopped` event it caused (this adapter always names the thread). */
  async stopAfter(action: () => Promise<unknown>): Promise<{ body: StopBody }> {
    const mark = this.events.length;
    await action();
    return (await this.waitFor("stopped", { after: mark })) as { body: StopBody };
  }

  async topFrame(threadId: number): Promise<DebugProtocol.StackFrame> {
    const trace = await this.client.stackTraceRequest({ threadId, levels: 20 });
    return trace.body.stackFrames[0];
  }

  async evaluate(expression: string, frameId?: number, context = "watch"): Promise<string> {
    const response = await this.client.evaluateRequest({ expression, frameId, context });
    return response.body.result;
  }

  /** Sets source breakpoints in one file; returns the DAP breakpoints. */
  async setBreakpoints(
    file: string,
    breakpoints: DebugProtocol.SourceBreakpoint[],
  ): Promise<DebugProtocol.Breakpoint[]> {
    const response = await this.client.setBreakpointsRequest({ source: { path: file }, breakpoints });
    return response.body.breakpoints;
  }

  /** The bodies of the `toroTelemetry` events received after event index `mark`, in order. */
  telemetrySince(mark: number): ToroTelemetryBody[] {
    return this.events
      .slice(mark)
      .filter((event) => event.event === TORO_TELEMETRY_EVENT)
      .map((event) => event.body as ToroTelemetryBody);
  }

  /** Console output received so far (all categories), joined. */
  output(category?: string): string {
    return this.events
      .filter(
        (event) => event.event === "output" && (category === undefined || event.body.category === category),
      )
      .map((event) => event.body.output as string)
      .join("");
  }

  /**
   * Ends the session with `disconnect` and checks: the adapter, QEMU and GDB are gone, no other child of the
   * adapter survives, and the adapter's TMPDIR (where QEMU's private directory lived) is empty.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const children = this.adapterPid === undefined ? [] : descendants(this.adapterPid);
    if (this.adapterPid !== undefined && isAlive(this.adapterPid)) {
      await this.client.disconnectRequest({}).catch(() => undefined);
    }
    const pids = [
      ...children.map((child) => child.pid),
      this.info?.qemuPid ?? undefined,
      this.info?.gdbPid ?? undefined,
    ].filter((pid): pid is number => pid !== undefined);
    for (const pid of pids) expect(await waitUntilGone(pid), `process ${pid} left behind`).toBe(true);
    if (this.spare !== undefined) {
      // A spare exits on its own once its session ends (the connection closes).
      const gone = this.adapterPid === undefined || (await waitUntilGone(this.adapterPid, 5_000));
      if (!gone) this.spare.kill("SIGKILL");
      expect(gone, "the spare adapter outlived its session").toBe(true);
    } else if (this.adapterPid !== undefined && !(await waitUntilGone(this.adapterPid, 5_000)))
      this.client.stop();
    fs.closeSync(this.transcript);
    expect(fs.readdirSync(this.temporaryDirectory), "files left in the adapter's TMPDIR").toEqual([]);
  }

  /** Checks, without ending the session, that processes the session reported are gone. */
  async expectProcessesGone(): Promise<void> {
    for (const pid of [this.info?.qemuPid, this.info?.gdbPid]) {
      if (pid !== null && pid !== undefined)
        expect(await waitUntilGone(pid), `process ${pid} left behind`).toBe(true);
    }
    expect(fs.readdirSync(this.temporaryDirectory), "files left in the adapter's TMPDIR").toEqual([]);
  }

  isRunning(pid: number | null | undefined): boolean {
    return pid !== null && pid !== undefined && isAlive(pid);
  }

  note(text: string): void {
    if (!this.closed) fs.writeSync(this.transcript, `${new Date().toISOString()} ${text}\n`);
  }

  private record(): void {
    // DebugClient has no message hook: wrap its dispatch (every response and event) and send.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const client = this.client as any;
    const dispatch = client.dispatch.bind(client);
    client.dispatch = (body: string) => {
      const message = JSON.parse(body);
      // Telemetry events are many and long: their start (sequence, target, unreadable) is enough.
      this.note(`<- ${message.event === "toroTelemetry" ? body.slice(0, 240) : body}`);
      if (message.type === "event") {
        this.events.push(message);
        for (const waiter of [...this.waiters]) waiter();
      }
      dispatch(body);
    };
    const send = client.send.bind(client);
    client.send = (command: string, args?: unknown) => {
      this.note(`-> ${command} ${JSON.stringify(args ?? {})}`);
      return send(command, args);
    };
  }
}
