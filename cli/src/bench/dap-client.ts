// dap-client.ts - a minimal Debug Adapter Protocol client over a child process's stdio (Content-Length
// framing), for the benchmark: it drives `node dist/adapter.js` the way VS Code does and stamps every
// message with its arrival time (performance.now), so latencies are measured at the protocol boundary.
// Kept here rather than using @vscode/debugadapter-testsupport (a test-only dependency) at run time.

import { ChildProcess, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { ToroError } from "@toro-studio/debug-adapter";

export interface DapMessage {
  seq: number;
  type: "request" | "response" | "event";
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

export interface Received<T extends DapMessage = DapMessage> {
  message: T;
  /** performance.now() when the message was parsed. */
  receivedAtMs: number;
}

export class DapError extends ToroError {}

const HEADER_END = "\r\n\r\n";
const STDERR_LIMIT = 16 * 1024;

export class DapClient {
  private nextSeq = 1;
  private buffer = Buffer.alloc(0);
  private stderrText = "";
  private readonly pending = new Map<number, (received: Received) => void>();
  private readonly events: Received[] = [];
  private readonly eventWaiters = new Set<(received: Received) => boolean>();
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(readonly process: ChildProcess) {
    process.stdout!.on("data", (chunk: Buffer) => this.receive(chunk));
    process.stderr!.on("data", (chunk: Buffer) => {
      this.stderrText = (this.stderrText + chunk.toString("utf8")).slice(-STDERR_LIMIT);
    });
    process.stdin!.on("error", () => undefined); // EPIPE once the adapter is gone
    this.exited = new Promise((resolve) =>
      process.on("close", (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
    process.on("error", () => undefined); // reported through `exited`
  }

  /** Spawns `node <adapterPath>` (argument array) speaking DAP on stdio. */
  static start(adapterPath: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): DapClient {
    const child = spawn(process.execPath, [adapterPath], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    return new DapClient(child);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  /** The adapter's stderr so far (bounded): where it logs when something goes wrong. */
  get stderr(): string {
    return this.stderrText;
  }

  /** Sends a request; resolves with the response (success or not), rejects on timeout or adapter exit. */
  request(command: string, args?: unknown, timeoutMs = 60_000): Promise<Received> {
    const seq = this.nextSeq++;
    return new Promise<Received>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new DapError(`no response to "${command}" within ${timeoutMs} ms${this.stderrTail()}`));
      }, timeoutMs);
      this.pending.set(seq, (received) => {
        clearTimeout(timer);
        resolve(received);
      });
      void this.exited.then((code) => {
        if (!this.pending.delete(seq)) return;
        clearTimeout(timer);
        reject(
          new DapError(`the adapter exited (code ${code}) before answering "${command}"${this.stderrTail()}`),
        );
      });
      this.send({ seq, type: "request", command, arguments: args });
    });
  }

  /** Like request(), but rejects when the adapter answers success: false. */
  async requestOk(command: string, args?: unknown, timeoutMs?: number): Promise<Received> {
    const received = await this.request(command, args, timeoutMs);
    if (received.message.success !== true) {
      throw new DapError(`"${command}" failed: ${received.message.message ?? "no message"}`);
    }
    return received;
  }

  /**
   * The first event named `name` that arrived at or after `sinceMs` (already received, or the next one),
   * optionally matching `accept`. Rejects on timeout or when the adapter exits first.
   */
  waitForEvent(
    name: string,
    sinceMs: number,
    timeoutMs = 60_000,
    accept: (message: DapMessage) => boolean = () => true,
  ): Promise<Received> {
    const matches = (received: Received) =>
      received.message.event === name && received.receivedAtMs >= sinceMs && accept(received.message);
    const earlier = this.events.find(matches);
    if (earlier !== undefined) return Promise.resolve(earlier);
    return new Promise<Received>((resolve, reject) => {
      const waiter = (received: Received) => {
        if (!matches(received)) return false;
        clearTimeout(timer);
        resolve(received);
        return true;
      };
      const timer = setTimeout(() => {
        this.eventWaiters.delete(waiter);
        reject(new DapError(`no "${name}" event within ${timeoutMs} ms${this.stderrTail()}`));
      }, timeoutMs);
      this.eventWaiters.add(waiter);
      void this.exited.then((code) => {
        if (!this.eventWaiters.delete(waiter)) return;
        clearTimeout(timer);
        reject(
          new DapError(`the adapter exited (code ${code}) before a "${name}" event${this.stderrTail()}`),
        );
      });
    });
  }

  /** Every event received so far, oldest first. */
  get receivedEvents(): readonly Received[] {
    return this.events;
  }

  /** SIGKILL if still running; resolves when it is gone. */
  async kill(): Promise<void> {
    if (!this.hasExited) this.process.kill("SIGKILL");
    await this.exited;
  }

  private stderrTail(): string {
    const tail = this.stderrText.trim().split("\n").slice(-5).join("\n  ");
    return tail === "" ? "" : `; adapter stderr:\n  ${tail}`;
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString("ascii");
      const length = /Content-Length:\s*(\d+)/i.exec(header);
      if (length === null) {
        this.buffer = this.buffer.subarray(headerEnd + HEADER_END.length); // not DAP: skip the block
        continue;
      }
      const start = headerEnd + HEADER_END.length;
      const end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const text = this.buffer.subarray(start, end).toString("utf8");
      this.buffer = this.buffer.subarray(end);
      this.dispatch(text);
    }
  }

  private dispatch(text: string): void {
    let message: DapMessage;
    try {
      message = JSON.parse(text) as DapMessage;
    } catch {
      return;
    }
    const received = { message, receivedAtMs: performance.now() };
    if (message.type === "response" && message.request_seq !== undefined) {
      const resolve = this.pending.get(message.request_seq);
      this.pending.delete(message.request_seq);
      resolve?.(received);
    } else if (message.type === "event") {
      this.events.push(received);
      for (const waiter of [...this.eventWaiters]) if (waiter(received)) this.eventWaiters.delete(waiter);
    } else if (message.type === "request") {
      // Reverse requests (runInTerminal, startDebugging): not supported by this client.
      this.send({
        seq: this.nextSeq++,
        type: "response",
        request_seq: message.seq,
        command: message.command,
        success: false,
        message: "not supported by the benchmark client",
      });
    }
  }

  private send(message: Record<string, unknown>): void {
    const json = Buffer.from(JSON.stringify(message), "utf8");
    this.process.stdin!.write(
      Buffer.concat([Buffer.from(`Content-Length: ${json.length}${HEADER_END}`), json]),
    );
  }
}
