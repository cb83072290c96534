// jitter-buffer.ts - evens out the arrival of monitor points. Telemetry leaves the adapter at a steady rate
// but reaches the webview in bursts (the adapter's pipe, the extension host, the browser connection batch
// messages), so at 50 Hz two or three points often land in one animation frame and the chart moves in jerks.
// Points are held back by a small fixed delay past their own time and released when due, one frame each.
// Times are compared through the smallest recent arrival lag, so a clock offset between the host that
// stamped the points and the browser cancels out. Pure; used by client/main.ts, tested in jitter-buffer.test.ts.

export interface Timed {
  /** Seconds since the epoch on the clock of the host that made the point. */
  timeSeconds: number;
}

export class JitterBuffer<Item extends Timed> {
  private readonly pending: Item[] = [];
  /** Recent (arrival time, lag) pairs, oldest first. */
  private readonly lags: Array<{ arrivalMs: number; lagMs: number }> = [];

  /**
   * Invariant: a point is due at most `delayMs` after its arrival (its lag is at least the smallest lag).
   * @param delayMs how long past the smallest observed lag a point is held (absorbs bursts)
   * @param lagWindowMs how far back the smallest lag is looked for (follows clock drift and load changes)
   */
  constructor(
    private readonly delayMs = 120,
    private readonly lagWindowMs = 5000,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  push(item: Item, arrivalMs: number): void {
    this.pending.push(item);
    this.lags.push({ arrivalMs, lagMs: arrivalMs - item.timeSeconds * 1000 });
    while (this.lags.length > 0 && this.lags[0].arrivalMs < arrivalMs - this.lagWindowMs) this.lags.shift();
  }

  /** The points due at `nowMs` (browser clock), oldest first; removed from the buffer. */
  release(nowMs: number): Item[] {
    if (this.pending.length === 0) return [];
    const smallestLag = Math.min(...this.lags.map((entry) => entry.lagMs));
    let due = 0;
    while (
      due < this.pending.length &&
      this.pending[due].timeSeconds * 1000 + smallestLag + this.delayMs <= nowMs
    )
      due++;
    return this.pending.splice(0, due);
  }

  /** Everything still held, oldest first (used when a whole history replaces the buffer). */
  drain(): Item[] {
    return this.pending.splice(0, this.pending.length);
  }
}
