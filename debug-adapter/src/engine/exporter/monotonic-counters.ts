// monotonic-counters.ts - keeps every exported counter monotonic across VM restarts, as Prometheus expects
// (rate() would otherwise read a restart as a reset and a re-estimated open interval as one too). Each series
// carries an epoch: the VM instance its raw value counts from (QEMU's pid and the guest's boot TSC, so a new
// QEMU or a guest reset starts a new one). Contract, per series key:
//  - same epoch: the value is max(previous value, offset + raw): a raw value that moved back (the open
//    interval of a core's state is estimated, ../telemetry/guest-clock.ts) never makes the counter go down;
//  - new epoch: the previous value becomes the offset and raw counts on from there (raw starts near 0);
//  - a series not seen for `forgetAfterMs` is forgotten (a VM that never came back).

export interface CounterState {
  epoch: string;
  offset: number;
  value: number;
  seenAtMs: number;
}

export const DEFAULT_FORGET_AFTER_MS = 60 * 60 * 1000;

export class MonotonicCounters {
  private readonly states = new Map<string, CounterState>();

  constructor(private readonly forgetAfterMs = DEFAULT_FORGET_AFTER_MS) {}

  /** The exported value of series `key` for a raw reading `raw` counted since `epoch` began. */
  value(key: string, epoch: string, raw: number, nowMs: number): number {
    const safeRaw = Number.isFinite(raw) && raw > 0 ? raw : 0;
    const state = this.states.get(key);
    if (state === undefined) {
      this.states.set(key, { epoch, offset: 0, value: safeRaw, seenAtMs: nowMs });
      return safeRaw;
    }
    if (state.epoch !== epoch) {
      state.epoch = epoch;
      state.offset = state.value;
    }
    state.value = Math.max(state.value, state.offset + safeRaw);
    state.seenAtMs = nowMs;
    return state.value;
  }

  /** Drops the series not seen since `nowMs - forgetAfterMs`. */
  forgetStale(nowMs: number): void {
    for (const [key, state] of this.states) {
      if (nowMs - state.seenAtMs > this.forgetAfterMs) this.states.delete(key);
    }
  }

  get size(): number {
    return this.states.size;
  }
}
