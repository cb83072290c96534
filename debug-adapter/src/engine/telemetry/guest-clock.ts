// guest-clock.ts - estimates the guest's TSC "now" from the host clock, so derived.ts can account the open
// interval of a core's state (a core halted for minutes writes nothing, yet its halted time grows).
//
// Approximation: under TCG the guest TSC advances with the host clock at the rate the kernel calibrated
// (tsc_hz, measured against the emulated PIT, itself driven by host time). We keep one anchor (guest TSC,
// host ms) and extrapolate at tsc_hz. Anchors come from (a) the newest TSC the guest wrote (updated_tsc,
// state_since_tsc, ready_tsc), taken whenever it shows the estimate has fallen behind, and (b) an explicit
// anchor such as ready_tsc paired with the host time the `toro: ready` line arrived. The estimate is never
// below a TSC the guest has written. Error: the age of the value when first seen (bounded by the serial or
// poll latency, a few ms); drift between tsc_hz and the true rate accumulates slowly (calibration error).

import { TelemetrySnapshot } from "./snapshot";

export class GuestClock {
  private anchorTsc = 0;
  private anchorHostMs = 0;
  private tscHz = 0;

  /** Records that the guest TSC was `tsc` at host time `hostMs` (if that moves the estimate forward). */
  anchor(tsc: number, hostMs: number): void {
    if (tsc <= 0) return;
    const estimated = this.estimate(hostMs);
    if (estimated === null || tsc > estimated) {
      this.anchorTsc = tsc;
      this.anchorHostMs = hostMs;
    }
  }

  /** Learns tsc_hz and the newest TSC the snapshot contains (as of its hostTimeMs). */
  observe(snapshot: TelemetrySnapshot): void {
    if (snapshot.global.tscHz > 0) this.tscHz = snapshot.global.tscHz;
    this.anchor(newestTsc(snapshot), snapshot.hostTimeMs);
  }

  /** The guest TSC estimated at host time `hostMs`, or null before tsc_hz and an anchor are known. */
  estimate(hostMs: number): number | null {
    if (this.tscHz <= 0 || this.anchorTsc <= 0) return null;
    return this.anchorTsc + (Math.max(0, hostMs - this.anchorHostMs) * this.tscHz) / 1000;
  }
}

/** The largest TSC value the guest has written into the block. */
export function newestTsc(snapshot: TelemetrySnapshot): number {
  let newest = Math.max(snapshot.global.bootTsc, snapshot.global.readyTsc ?? 0);
  for (const core of snapshot.cores) {
    if (core.torn) continue;
    newest = Math.max(newest, core.updatedTsc, core.stateSinceTsc);
  }
  return newest;
}
