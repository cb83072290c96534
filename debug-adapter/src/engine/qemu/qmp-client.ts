// qmp-client.ts - a minimal QEMU Machine Protocol client over the launch's unix socket: capability
// negotiation, commands answered in order (matched by id), and asynchronous events (STOP, SHUTDOWN, ...).
// Used by qemu-instance.ts; later by the DAP session for reset and by the telemetry fallback (`xp`,
// `pmemsave`) when attached to a QEMU it did not start. Commands never stop the VM unless asked to.

import * as net from "node:net";
import { QmpClosedError, QmpConnectTimeoutError, QmpError } from "./errors";

export interface QmpEvent {
  event: string;
  data: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

interface PendingCommand {
  command: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface QmpConnectOptions {
  timeoutMs: number;
  /** Checked between connection attempts; an error returned here ends the attempts with that error. */
  abortReason?: () => Error | undefined;
  retryIntervalMs?: number;
}

export class QmpClient {
  private buffer = "";
  private nextId = 1;
  private readonly pending = new Map<string, PendingCommand>();
  private readonly eventListeners = new Set<(event: QmpEvent) => void>();
  private greeting: ((value: unknown) => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.receive(chunk));
    socket.on("close", () => this.handleClose());
    socket.on("error", () => this.handleClose());
  }

  /** Connects (retrying while QEMU has not created the socket yet) and negotiates capabilities. */
  static async connect(socketPath: string, options: QmpConnectOptions): Promise<QmpClient> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const abort = options.abortReason?.();
      if (abort !== undefined) throw abort;
      const socket = await tryConnect(socketPath);
      if (socket !== undefined) {
        const client = new QmpClient(socket);
        await client.handshake();
        return client;
      }
      if (Date.now() >= deadline) {
        throw new QmpConnectTimeoutError(socketPath, options.timeoutMs);
      }
      await new Promise((resolve) => setTimeout(resolve, options.retryIntervalMs ?? 10));
    }
  }

  /** Runs a QMP command; resolves with its `return` value, rejects with QmpError or QmpClosedError. */
  execute<Result = unknown>(command: string, args?: Record<string, unknown>): Promise<Result> {
    if (this.closed) return Promise.reject(new QmpClosedError(command));
    const id = `toro-${this.nextId++}`;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { command, resolve: resolve as (value: unknown) => void, reject });
      const message =
        args === undefined ? { execute: command, id } : { execute: command, arguments: args, id };
      this.socket.write(JSON.stringify(message) + "\n");
    });
  }

  /** Calls `listener` for every asynchronous event; returns the unsubscribe function. */
  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
    this.handleClose();
  }

  private async handshake(): Promise<void> {
    await new Promise((resolve, reject) => {
      this.greeting = resolve;
      this.socket.once("close", () => reject(new QmpClosedError("greeting")));
    });
    await this.execute("qmp_capabilities");
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf("\n");
    while (newline >= 0) {
      const text = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (text !== "") this.dispatch(text);
      newline = this.buffer.indexOf("\n");
    }
  }

  private dispatch(text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return; // QEMU only sends JSON objects; ignore anything else rather than crash the engine
    }
    if ("QMP" in message) {
      this.greeting?.(message);
      this.greeting = undefined;
    } else if (typeof message.event === "string") {
      const event = message as unknown as QmpEvent;
      for (const listener of [...this.eventListeners]) listener(event);
    } else if (typeof message.id === "string" && this.pending.has(message.id)) {
      const pending = this.pending.get(message.id)!;
      this.pending.delete(message.id);
      if ("error" in message) {
        const error = message.error as { class?: string; desc?: string };
        pending.reject(new QmpError(pending.command, error.class ?? "Error", error.desc ?? "unknown"));
      } else {
        pending.resolve(message.return);
      }
    }
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(new QmpClosedError(pending.command));
    this.pending.clear();
  }
}

function tryConnect(socketPath: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ path: socketPath });
    socket.once("connect", () => {
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(undefined);
    });
  });
}
