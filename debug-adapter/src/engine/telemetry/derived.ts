// derived.ts - what the views show, computed from decoded snapshots: per-core time split including the open
// interval of the current state (with guest-clock.ts's estimate of guest "now"), idle share and halts per
// second between two samples (or since boot for the first one). Pure; used by the CLI monitor, --json, the
// benchmark and later the DAP telemetry event.

import { CoreState } from "./layout";
import { CoreRecord, TelemetrySnapshot, ThreadRecord } from "./snapshot";

/** A snapshot with the guest TSC estimated at the moment it was read (null when unknown). */
export interface TelemetrySample {
  snapshot: TelemetrySnapshot;
  guestNowTsc: number | null;
}

export interface CoreCycles {
  halted: number;
  busy: number;
  idleSpin: number;
  lockSpin: number;
  polling: number;
  interrupt: number;
  total: number;
}

/** Share of time per kind, 0..1. "idle" = halted + idle spinning + all-threads-polling (Toro's cases 2-4). */
export interface CoreShares {
  idle: number;
  halted: number;
  busy: number;
  idleSpin: number;
  lockSpin: number;
  polling: number;
  interrupt: number;
}

export interface CoreActivity {
  index: number;
  state: CoreState | "unknown";
  online: boolean;
  threadId: number | null;
  threadName: string | null;
  halts: number;
  /** Halts per host second since the previous sample; null for the first sample. */
  haltsPerSecond: number | null;
  /** Over the interval since the previous sample, or since boot for the first; null when no time passed. */
  shares: CoreShares | null;
  spinningLockName: string | null;
  wakeups: number;
  lastWakeupLatencyMicroseconds: number | null;
  worstWakeupLatencyMicroseconds: number | null;
  torn: boolean;
}

const STATE_BUCKET: Partial<Record<CoreState, keyof Omit<CoreCycles, "total">>> = {
  running: "busy",
  "idle-spin": "idleSpin",
  halted: "halted",
  "lock-spin": "lockSpin",
  interrupt: "interrupt",
  polling: "polling",
};

/** Cycles per kind, with the open interval (state_since_tsc .. guestNowTsc) added to the current state. */
export function coreCycles(core: CoreRecord, guestNowTsc: number | null): CoreCycles {
  const cycles: CoreCycles = {
    halted: core.cyclesHalted,
    busy: core.cyclesBusy,
    idleSpin: core.cyclesIdleSpin,
    lockSpin: core.cyclesLockSpin,
    polling: core.cyclesPolling,
    interrupt: core.cyclesInterrupt,
    total: 0,
  };
  const bucket = core.state === "unknown" ? undefined : STATE_BUCKET[core.state];
  if (
    bucket !== undefined &&
    guestNowTsc !== null &&
    core.stateSinceTsc > 0 &&
    guestNowTsc > core.stateSinceTsc
  ) {
    cycles[bucket] += guestNowTsc - core.stateSinceTsc;
  }
  cycles.total =
    cycles.halted + cycles.busy + cycles.idleSpin + cycles.lockSpin + cycles.polling + cycles.interrupt;
  return cycles;
}

function difference(current: CoreCycles, previous: CoreCycles | undefined): CoreCycles {
  if (previous === undefined) return current;
  const delta = (key: keyof CoreCycles) => Math.max(0, current[key] - previous[key]);
  return {
    halted: delta("halted"),
    busy: delta("busy"),
    idleSpin: delta("idleSpin"),
    lockSpin: delta("lockSpin"),
    polling: delta("polling"),
    interrupt: delta("interrupt"),
    total: delta("total"),
  };
}

export function shares(cycles: CoreCycles): CoreShares | null {
  if (cycles.total <= 0) return null;
  const share = (value: number) => value / cycles.total;
  return {
    idle: share(cycles.halted + cycles.idleSpin + cycles.polling),
    halted: share(cycles.halted),
    busy: share(cycles.busy),
    idleSpin: share(cycles.idleSpin),
    lockSpin: share(cycles.lockSpin),
    polling: share(cycles.polling),
    interrupt: share(cycles.interrupt),
  };
}

/** Guest cycles as microseconds at the calibrated TSC rate; null before calibration (tscHz 0). */
export function cyclesToMicroseconds(cycles: number, tscHz: number): number | null {
  return tscHz > 0 ? (cycles / tscHz) * 1e6 : null;
}

/** The kernel thread core `core` runs now, by the block's thread table; undefined when none (or not listed). */
export function threadOnCore(snapshot: TelemetrySnapshot, core: CoreRecord): ThreadRecord | undefined {
  if (core.currentThread === null) return undefined;
  return snapshot.threads.find((candidate) => candidate.id === core.currentThread);
}

/** Per-core view of `current`, with rates and shares relative to `previous` when given. */
export function coreActivity(current: TelemetrySample, previous?: TelemetrySample): CoreActivity[] {
  const snapshot = current.snapshot;
  const tscHz = snapshot.global.tscHz;
  const elapsedSeconds =
    previous === undefined ? 0 : (snapshot.hostTimeMs - previous.snapshot.hostTimeMs) / 1000;
  return snapshot.cores.map((core) => {
    const before = previous?.snapshot.cores.find((candidate) => candidate.index === core.index);
    const cyclesNow = coreCycles(core, current.guestNowTsc);
    const cyclesBefore = before === undefined ? undefined : coreCycles(before, previous!.guestNowTsc);
    const thread = threadOnCore(snapshot, core);
    return {
      index: core.index,
      state: core.state,
      online: core.online,
      threadId: core.currentThread,
      threadName: thread?.name ?? null,
      halts: core.halts,
      haltsPerSecond:
        before === undefined || elapsedSeconds <= 0
          ? null
          : Math.max(0, core.halts - before.halts) / elapsedSeconds,
      shares: shares(difference(cyclesNow, cyclesBefore)),
      spinningLockName:
        core.state === "lock-spin" && core.spinningLock !== null
          ? (snapshot.locks[core.spinningLock]?.name ?? `lock ${core.spinningLock}`)
          : null,
      wakeups: core.wakeups,
      lastWakeupLatencyMicroseconds:
        core.wakeups === 0 ? null : cyclesToMicroseconds(core.lastWakeupLatencyCycles, tscHz),
      worstWakeupLatencyMicroseconds:
        core.wakeups === 0 ? null : cyclesToMicroseconds(core.worstWakeupLatencyCycles, tscHz),
      torn: core.torn,
    };
  });
}
