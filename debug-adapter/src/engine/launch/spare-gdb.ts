// spare-gdb.ts - a GDB started before any launch asks for one, so that a launch does not wait for GDB's own
// start-up (~70 ms alone, 100-300 ms on a busy machine beside QEMU). The spare adapter process
// (../../adapter.ts `--spare`) starts one as soon as it runs; the session's launch takes it when the launch's
// `gdbPath` is the one it was started with, and otherwise starts its own (debugger-start.ts). A spare that
// failed to start or has exited is replaced by a fresh start, so taking one never changes what a launch
// reports. Contract: taken at most once; `dispose` shuts it down unless it was taken (then its launch owns it).

import { performance } from "node:perf_hooks";
import type { GdbClient } from "../../gdb";
import { startGdb } from "./debugger-start";

/** The default of `gdbPath` (as GdbClient.start's): a spare started for it serves a launch that leaves it out. */
const DEFAULT_GDB_PATH = "gdb";

export class SpareGdb {
  private readonly starting: Promise<GdbClient>;
  private readonly startedAtMs = performance.now();
  /** Where GDB's trace goes once a launch takes it (its log file); nothing before. */
  private log: ((text: string) => void) | undefined;
  private taken = false;

  private constructor(readonly gdbPath: string) {
    this.starting = startGdb(gdbPath, (text) => this.log?.(text));
    this.starting.catch(() => undefined); // a failed spare is retried by the launch that takes it
  }

  /** Spawns GDB now (set up as every launch's GDB is, with no program loaded). */
  static start(gdbPath: string = DEFAULT_GDB_PATH): SpareGdb {
    return new SpareGdb(gdbPath);
  }

  /**
   * The spare for a launch with `gdbPath`, once: undefined if it was taken or started for another GDB. A
   * spare that failed or exited meanwhile gives a freshly started GDB (or that start's error) instead.
   */
  take(gdbPath: string | undefined, log?: (text: string) => void): Promise<GdbClient> | undefined {
    if (this.taken || (gdbPath ?? DEFAULT_GDB_PATH) !== this.gdbPath) return undefined;
    this.taken = true;
    this.log = log;
    const fresh = () => startGdb(gdbPath, log);
    return this.starting.then((gdb) => {
      if (gdb.hasExited) return fresh();
      const ago = (performance.now() - this.startedAtMs).toFixed(1);
      log?.(`launch: using the spare GDB (pid ${gdb.pid}, started ${ago} ms ago)`);
      return gdb;
    }, fresh);
  }

  /** Shuts the spare down unless a launch took it. */
  async dispose(): Promise<void> {
    if (this.taken) return;
    this.taken = true;
    const gdb = await this.starting.catch(() => undefined);
    await gdb?.shutdown();
  }
}
