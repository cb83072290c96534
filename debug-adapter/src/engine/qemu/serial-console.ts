// serial-console.ts - the guest's serial output split into lines: kept (bounded), delivered to listeners,
// iterable with `for await`, and awaitable with waitForLine(). Fed by qemu-instance.ts from QEMU's stdout;
// lines are parsed by serial-line.ts.

import { StringDecoder } from "node:string_decoder";
import { performance } from "node:perf_hooks";
import { SerialTimeoutError } from "./errors";
import { parseSerialLine, SerialLine } from "./serial-line";

/** Older lines are dropped beyond this many, so a chatty guest cannot grow the engine's memory forever. */
export const SERIAL_HISTORY_LIMIT = 50_000;

export type LineMatcher = RegExp | ((line: SerialLine) => boolean);

export interface WaitForLineOptions {
  timeoutMs: number;
  /** Absolute line index to start looking at (lines already received count); default 0. */
  fromIndex?: number;
}

interface Waiter {
  matches: (line: SerialLine) => boolean;
  resolve: (line: SerialLine) => void;
  reject: (error: Error) => void;
}

export class SerialConsole {
  private readonly history: SerialLine[] = [];
  /** Absolute index of history[0]. */
  private firstIndex = 0;
  private partial = "";
  private readonly decoder = new StringDecoder("utf8");
  private readonly listeners = new Set<(line: SerialLine) => void>();
  private readonly waiters = new Set<Waiter>();
  private readonly endListeners = new Set<() => void>();
  private endError: ((waitingFor: string) => Error) | undefined;
  private ended = false;

  /** Feeds raw bytes from the serial port. */
  push(chunk: Buffer | string): void {
    if (this.ended) return;
    this.partial += typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    let newline = this.partial.indexOf("\n");
    while (newline >= 0) {
      this.addLine(this.partial.slice(0, newline));
      this.partial = this.partial.slice(newline + 1);
      newline = this.partial.indexOf("\n");
    }
  }

  /**
   * No more output will come (QEMU exited). A last unterminated line is kept; waiters still pending are
   * rejected with `error(whatTheyWaitedFor)`.
   */
  end(error: (waitingFor: string) => Error): void {
    if (this.ended) return;
    this.partial += this.decoder.end();
    if (this.partial !== "") this.addLine(this.partial);
    this.partial = "";
    this.ended = true;
    this.endError = error;
    for (const waiter of this.waiters) waiter.reject(error("waiting for a serial line"));
    this.waiters.clear();
    for (const listener of this.endListeners) listener();
    this.endListeners.clear();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Absolute index the next line will get (= number of lines received so far). */
  get nextIndex(): number {
    return this.firstIndex + this.history.length;
  }

  /** The kept lines (the most recent SERIAL_HISTORY_LIMIT). */
  get lines(): readonly SerialLine[] {
    return this.history;
  }

  /** Calls `listener` for every line received from now on; returns the unsubscribe function. */
  onLine(listener: (line: SerialLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first line at or after `fromIndex` that matches; rejects on timeout or QEMU exit. */
  waitForLine(matcher: LineMatcher, options: WaitForLineOptions): Promise<SerialLine> {
    const matches = typeof matcher === "function" ? matcher : (line: SerialLine) => matcher.test(line.text);
    const start = Math.max(0, (options.fromIndex ?? 0) - this.firstIndex);
    const already = this.history.slice(start).find(matches);
    if (already !== undefined) return Promise.resolve(already);
    const expected = typeof matcher === "function" ? "the given condition" : String(matcher);
    if (this.ended) return Promise.reject(this.endError!(`waiting for a serial line matching ${expected}`));

    return new Promise<SerialLine>((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const lastLines = this.history.slice(-10).map((line) => line.text);
        reject(new SerialTimeoutError(expected, options.timeoutMs, lastLines));
      }, options.timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Every kept line, then each new one, until the serial port ends. */
  async *[Symbol.asyncIterator](): AsyncIterator<SerialLine> {
    let index = this.firstIndex;
    for (;;) {
      index = Math.max(index, this.firstIndex);
      if (index < this.nextIndex) {
        yield this.history[index - this.firstIndex];
        index++;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          unsubscribe();
          this.endListeners.delete(wake);
          resolve();
        };
        const unsubscribe = this.onLine(wake);
        this.endListeners.add(wake);
      });
    }
  }

  private addLine(raw: string): void {
    const line = parseSerialLine(raw.replace(/\r+$/, "").replace(/\r/g, ""), performance.now());
    this.history.push(line);
    if (this.history.length > SERIAL_HISTORY_LIMIT) {
      this.history.shift();
      this.firstIndex++;
    }
    for (const listener of [...this.listeners]) listener(line);
    for (const waiter of [...this.waiters]) {
      if (waiter.matches(line)) {
        this.waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  }
}
