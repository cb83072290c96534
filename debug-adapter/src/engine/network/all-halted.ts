// all-halted.ts - watches the telemetry block (read from the guest RAM file, never stopping the VM) until
// every online core is halted: how the network tests and the bench measure "the load stopped and the
// machine went idle again". Pairs with ../telemetry/telemetry-reader.ts (the reader it polls).

import { performance } from "node:perf_hooks";
import { TelemetryReadResult, TelemetrySnapshot, isUnreadable } from "../telemetry/snapshot";

/** What the watches read: a TelemetryReader (guest RAM file), or anything decoding the same block. */
export interface SnapshotReader {
  read(): TelemetryReadResult;
}

/** Reading the block takes tens of microseconds; every millisecond keeps the watch's own cost small. */
const POLL_INTERVAL_MS = 1;

export interface AllHalted {
  /** performance.now() of the first read that found every online core halted. */
  atMs: number;
  snapshot: TelemetrySnapshot;
}

export function everyCoreHalted(snapshot: TelemetrySnapshot): boolean {
  const online = snapshot.cores.filter((core) => core.online);
  return online.length > 0 && online.every((core) => core.state === "halted");
}

/** Polls until every online core is halted (resolves with when) or `timeoutMs` passes (resolves null). */
export async function waitForAllHalted(reader: SnapshotReader, timeoutMs: number): Promise<AllHalted | null> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const result = reader.read();
    if (!isUnreadable(result) && everyCoreHalted(result))
      return { atMs: result.hostTimeMs, snapshot: result };
    if (performance.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/**
 * Watches, every millisecond, for the moment the guest went idle: the start of the first stretch in which
 * every online core stayed halted for `quietMs` (a change in the cores' halt counts between two reads means
 * one woke up and halted again in between, which ends the stretch). A quiet period rather than the first
 * all-halted read: cores halt between the last responses and the client's FINs, which wake them again. Also
 * counts the wake-ups (halts) after that moment: late arrivals and timers. Reads take tens of microseconds
 * each, from our process, not QEMU's.
 */
export class IdleWatch {
  private stretchStartMs: number | null = null;
  private stretchStartHalts = 0;
  private lastHalts = -1;
  private quiet: { sinceMs: number; halts: number } | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reader: SnapshotReader,
    private readonly quietMs: number,
  ) {}

  /** Starts polling (no-op while polling). */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.poll(), POLL_INTERVAL_MS);
    this.poll();
  }

  /**
   * Only quiet from `hostMs` on counts (the load's last response): an earlier quiet stretch is forgotten (a
   * pause in the load, not its end), and a stretch still going on is taken to start at `hostMs`.
   */
  ignoreBefore(hostMs: number): void {
    if (this.quiet !== null && this.quiet.sinceMs < hostMs) this.quiet = null;
    if (this.stretchStartMs !== null && this.stretchStartMs < hostMs) this.stretchStartMs = hostMs;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Host time (performance.now()) the first quiet stretch began, null if none yet. */
  get idleSinceMs(): number | null {
    return this.quiet?.sinceMs ?? null;
  }

  /** Halts counted on all cores since the quiet stretch began (each one a wake-up), null if none yet. */
  get wakeupsSinceIdle(): number | null {
    return this.quiet === null ? null : this.lastHalts - this.quiet.halts;
  }

  private poll(): void {
    const result = this.reader.read();
    if (isUnreadable(result)) return;
    const halts = result.cores.reduce((sum, core) => sum + core.halts, 0);
    if (!everyCoreHalted(result)) {
      this.stretchStartMs = null;
    } else if (this.stretchStartMs === null || halts !== this.lastHalts) {
      this.stretchStartMs = result.hostTimeMs;
      this.stretchStartHalts = halts;
    } else if (this.quiet === null && result.hostTimeMs - this.stretchStartMs >= this.quietMs) {
      this.quiet = { sinceMs: this.stretchStartMs, halts: this.stretchStartHalts };
    }
    this.lastHalts = halts;
  }
}
