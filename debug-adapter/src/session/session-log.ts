// session-log.ts - the adapter's trace file (launch/attach argument `logFile`): DAP requests and events,
// GDB/MI lines, QMP events, serial lines, each with the milliseconds since the session started. Writes are
// synchronous appends so that the last lines survive a crash. Without a file, nothing is written.
// Pairs with toro-debug-session.ts (requests, events) and the engine's `log` hooks (GDB, QMP, serial).

import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { ToroError } from "../engine/errors";

export class SessionLog {
  private descriptor: number | undefined;
  private readonly startedAtMs = performance.now();

  /** Opens (creating or truncating) `file`; an unwritable path is reported by the caller's launch. */
  open(file: string): void {
    this.close();
    try {
      this.descriptor = fs.openSync(file, "w", 0o600);
      // performance.now() counts from the process's start: what came before the session (node, modules).
      const processMs = performance.now().toFixed(1);
      const nodeReadyMs = performance.nodeTiming.bootstrapComplete.toFixed(1);
      const sessionMs = this.startedAtMs.toFixed(1);
      this.write(
        `log opened at ${new Date().toISOString()} (times are ms since the session started; the process ` +
          `started ${processMs} ms ago, node was ready at ${nodeReadyMs} ms, the session began at ${sessionMs} ms)`,
      );
    } catch (error) {
      throw new ToroError(
        `"logFile" cannot be written: ${(error as Error).message}`,
        "Give a file in a folder that exists, or leave logFile out.",
      );
    }
  }

  get enabled(): boolean {
    return this.descriptor !== undefined;
  }

  write(text: string): void {
    if (this.descriptor === undefined) return;
    const elapsed = (performance.now() - this.startedAtMs).toFixed(1).padStart(9);
    try {
      fs.writeSync(this.descriptor, `${elapsed} ${text.replace(/\n$/, "")}\n`);
    } catch {
      this.close(); // disk full or file gone: stop tracing rather than fail the session
    }
  }

  close(): void {
    if (this.descriptor !== undefined) fs.closeSync(this.descriptor);
    this.descriptor = undefined;
  }
}
