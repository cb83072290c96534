// vm-metrics.ts - what one scrape read of every VM (VmReading, from exporter.ts) turned into the metric families
// of metric-catalog.ts: per VM (info, up, cores, start, boot time, panic, QEMU's host CPU), per core (state,
// halts, seconds per state with the open interval of the current one, wake-ups by reason, interrupts, context
// switches) and per spinlock. Counters go through MonotonicCounters (monotonic across VM restarts). Pure.

import { coreCycles } from "../telemetry/derived";
import { CORE_STATES } from "../telemetry/layout";
import { isUnreadable, TelemetryReadResult, TelemetrySnapshot } from "../telemetry/snapshot";
import { MetricFamily } from "./exposition";
import { METRIC_CATALOG, MetricDefinition, MetricKey } from "./metric-catalog";
import { MonotonicCounters } from "./monotonic-counters";

export interface VmReading {
  app: string;
  profile: string;
  idlePolicy: string;
  /** QEMU's pid, null when unknown (a QMP target whose process was not found). */
  pid: number | null;
  /** Wall-clock start of QEMU (ms since the epoch), null when unknown. */
  startedAtMs: number | null;
  /** The decoded block, or null when the VM has no telemetry block to read. */
  telemetry: TelemetryReadResult | null;
  /** The guest TSC estimated when the block was read (../telemetry/guest-clock.ts), null when unknown. */
  guestNowTsc: number | null;
  /** utime + stime of QEMU in seconds, null when unreadable. */
  qemuCpuSeconds: number | null;
}

type Labels = Record<string, string>;

class FamilyBuilder {
  private readonly families = new Map<MetricKey, MetricFamily>();

  constructor(
    private readonly counters: MonotonicCounters,
    private readonly nowMs: number,
  ) {
    for (const [key, definition] of Object.entries(METRIC_CATALOG) as [MetricKey, MetricDefinition][]) {
      this.families.set(key, { ...definition, samples: [] });
    }
  }

  gauge(key: MetricKey, labels: Labels, value: number): void {
    this.families.get(key)!.samples.push({ labels, value });
  }

  /** A counter sample, made monotonic for its series across epochs. */
  counter(key: MetricKey, labels: Labels, epoch: string, raw: number): void {
    const family = this.families.get(key)!;
    const value = this.counters.value(`${family.name}${JSON.stringify(labels)}`, epoch, raw, this.nowMs);
    family.samples.push({ labels, value });
  }

  /** The families in catalog order, empty ones left out. */
  build(): MetricFamily[] {
    return [...this.families.values()].filter((family) => family.samples.length > 0);
  }
}

/** Lower-case hypervisor name from the block ("tcg", "kvm", ...), "unknown" when unreadable. */
function hypervisorOf(snapshot: TelemetrySnapshot | undefined): string {
  return snapshot?.global.hypervisor?.kind.toLowerCase() ?? "unknown";
}

/** Each reading's `vm` label: its rank among readings with the same app, profile and idle policy, oldest first. */
function vmOrdinals(readings: readonly VmReading[]): number[] {
  const seen = new Map<string, number>();
  const order = readings
    .map((reading, index) => ({ reading, index }))
    .sort((a, b) => (a.reading.startedAtMs ?? 0) - (b.reading.startedAtMs ?? 0));
  const ordinals: number[] = new Array<number>(readings.length);
  for (const { reading, index } of order) {
    const group = JSON.stringify([reading.app, reading.profile, reading.idlePolicy]);
    const ordinal = seen.get(group) ?? 0;
    seen.set(group, ordinal + 1);
    ordinals[index] = ordinal;
  }
  return ordinals;
}

export function vmMetricFamilies(
  readings: readonly VmReading[],
  counters: MonotonicCounters,
  nowMs: number,
): MetricFamily[] {
  const families = new FamilyBuilder(counters, nowMs);
  const ordinals = vmOrdinals(readings);
  readings.forEach((reading, index) => {
    const telemetry = reading.telemetry;
    const snapshot = telemetry === null || isUnreadable(telemetry) ? undefined : telemetry;
    const vm: Labels = {
      app: reading.app,
      profile: reading.profile,
      idle_policy: reading.idlePolicy,
      hypervisor: hypervisorOf(snapshot),
      vm: String(ordinals[index]),
    };
    families.gauge("vmInfo", { ...vm, pid: reading.pid === null ? "" : String(reading.pid) }, 1);
    families.gauge("vmUp", vm, snapshot === undefined ? 0 : 1);
    if (reading.startedAtMs !== null) families.gauge("vmStartTime", vm, reading.startedAtMs / 1000);
    if (reading.qemuCpuSeconds !== null) {
      families.counter("qemuCpu", vm, `pid ${reading.pid}`, reading.qemuCpuSeconds);
    }
    if (snapshot !== undefined) addGuestSeries(families, vm, reading, snapshot);
  });
  counters.forgetStale(nowMs);
  return families.build();
}

function addGuestSeries(
  families: FamilyBuilder,
  vm: Labels,
  reading: VmReading,
  snapshot: TelemetrySnapshot,
): void {
  const global = snapshot.global;
  const epoch = `pid ${reading.pid} boot ${global.bootTsc}`;
  const tscHz = global.tscHz;
  families.gauge("vmCores", vm, global.coresOnline);
  families.gauge("vmPanicked", vm, global.panic === null ? 0 : 1);
  if (global.readyTsc !== null && tscHz > 0)
    families.gauge("vmBoot", vm, (global.readyTsc - global.bootTsc) / tscHz);
  for (const core of snapshot.cores) {
    const labels: Labels = { ...vm, core: String(core.index) };
    for (const state of CORE_STATES)
      families.gauge("coreState", { ...labels, state }, core.state === state ? 1 : 0);
    families.counter("coreHalts", labels, epoch, core.halts);
    families.counter("coreInterrupts", labels, epoch, core.interrupts);
    families.counter("coreContextSwitches", labels, epoch, core.contextSwitches);
    const wakes = core.wakesByReason;
    families.counter("coreWakeups", { ...labels, reason: "timer" }, epoch, wakes.timer);
    families.counter("coreWakeups", { ...labels, reason: "ipi" }, epoch, wakes.ipi);
    families.counter("coreWakeups", { ...labels, reason: "device" }, epoch, wakes.device);
    families.counter("coreWakeups", { ...labels, reason: "poll_recheck" }, epoch, wakes.pollRecheck);
    if (tscHz <= 0) continue;
    const cycles = coreCycles(core, reading.guestNowTsc);
    families.counter("coreHalted", labels, epoch, cycles.halted / tscHz);
    families.counter("coreBusy", labels, epoch, cycles.busy / tscHz);
    families.counter("coreIdleSpin", labels, epoch, cycles.idleSpin / tscHz);
    families.counter("coreLockSpin", labels, epoch, cycles.lockSpin / tscHz);
    families.counter("corePolling", labels, epoch, cycles.polling / tscHz);
    families.counter("coreInterrupt", labels, epoch, cycles.interrupt / tscHz);
  }
  const lockNames = new Map<string, number>();
  for (const lock of snapshot.locks) {
    // Two locks registered under one name would make one series twice: the later ones get "#<index>".
    const uses = lockNames.get(lock.name) ?? 0;
    lockNames.set(lock.name, uses + 1);
    const labels: Labels = { ...vm, lock: uses === 0 ? lock.name : `${lock.name}#${lock.index}` };
    families.counter("lockAcquisitions", labels, epoch, lock.acquisitions);
    families.counter("lockContentions", labels, epoch, lock.contentions);
    if (tscHz > 0) families.counter("lockSpin", labels, epoch, lock.cyclesSpun / tscHz);
  }
}
