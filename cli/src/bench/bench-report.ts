// bench-report.ts - the benchmark's results as text tables with the targets beside them, one section per
// group that ran (idle cost, wake-up latency, boot here; adapter-report.ts and telemetry-report.ts for the
// rest). Pure; pairs with bench-command.ts (which measures) and statistics.ts.

import { IdleCost } from "./idle-cost";
import { WakeupLatency } from "./wakeup-latency";
import { F5Results, StepResults } from "./f5-latency";
import { TelemetryRateResults } from "./telemetry-rate";
import { ThroughputResults } from "./guest-throughput";
import { formatTraceCost, TraceCostResults } from "./trace-cost";
import { formatTraceWindow, TraceWindowResults } from "./trace-window";
import { formatF5Section, formatStepSection } from "./adapter-report";
import { formatTelemetrySection } from "./telemetry-report";
import { verdict } from "./verdict";
import { BootRow } from "./boot-time";
import { median } from "./statistics";
import { DEFAULT_PROFILE } from "@toro-studio/debug-adapter";
import { formatNetworkSection, NetworkResults } from "./network-report";
import { decimal, formatTable, percent } from "../text-table";

export interface BenchResults {
  profile: string;
  cpus: number;
  accel: string;
  hostCores: number;
  seconds: number;
  /** One /proc clock tick over the window, in percent: host CPU below this reads as 0. */
  hostCpuResolutionPercent: number;
  /** Each group's results, absent when the group did not run (`--only`). */
  idleCost?: IdleCost[];
  wakeup?: (WakeupLatency | { policy: string; error: string })[];
  boot?: BootRow[];
  f5?: F5Results;
  steps?: StepResults;
  telemetryRate?: TelemetryRateResults;
  throughput?: ThroughputResults;
  traceCost?: TraceCostResults;
  traceWindow?: TraceWindowResults;
  network?: NetworkResults;
}

/**
 * Targets from the issues: host CPU with every vCPU idle; boot time (QEMU start to ready on the default TCG
 * profile, kernel entry to ready under KVM).
 */
export const TARGETS = {
  tickless: { maximumHostCpuPercent: 1 },
  halt: { maximumHostCpuPercent: 3 },
  bootMedianMilliseconds: 150,
  kvmEntryToReadyMedianMilliseconds: 50,
} as const;

export function idleCostTarget(cost: IdleCost): { text: string; met: boolean | null } {
  const target = cost.policy === "tickless" || cost.policy === "halt" ? TARGETS[cost.policy] : undefined;
  if (target === undefined) return { text: "", met: null };
  const met = cost.hostCpuPercent === null ? null : cost.hostCpuPercent <= target.maximumHostCpuPercent;
  return { text: `<= ${target.maximumHostCpuPercent}% (${verdict(met)})`, met };
}

export function formatBenchReport(results: BenchResults): string[] {
  const sections: string[][] = [];
  if (results.idleCost !== undefined) sections.push(formatIdleCost(results, results.idleCost));
  if (results.wakeup !== undefined) sections.push(formatWakeup(results.wakeup));
  if (results.boot !== undefined) sections.push(formatBoot(results.boot));
  if (results.f5 !== undefined) sections.push(formatF5Section(results.f5));
  if (results.steps !== undefined) sections.push(formatStepSection(results.steps));
  if (results.telemetryRate !== undefined || results.throughput !== undefined) {
    sections.push(formatTelemetrySection(results.telemetryRate, results.throughput));
  }
  if (results.traceCost !== undefined) sections.push(formatTraceCost(results.traceCost));
  if (results.traceWindow !== undefined) sections.push(formatTraceWindow(results.traceWindow));
  if (results.network !== undefined) sections.push(formatNetworkSection(results.network));
  return sections.flatMap((section, index) => (index === 0 ? section : ["", ...section]));
}

function formatIdleCost(results: BenchResults, idleCost: IdleCost[]): string[] {
  const busy =
    idleCost.find((cost) => cost.policy === "busy" && cost.cmdline === undefined)?.hostCpuPercent ?? null;
  return [
    `Idle cost: QEMU host CPU with ${results.cpus} idle vCPUs, ${results.seconds} s per policy ` +
      `(profile ${results.profile}, ${results.accel}, ${results.hostCores} host cores; 100% = one host core, ` +
      `resolution ${results.hostCpuResolutionPercent.toFixed(2)}%)`,
    ...formatTable(
      ["policy", "host CPU", "vs busy", "guest halted", "halts/s/core", "target"],
      idleCost.map((cost) => [
        cost.cmdline === undefined ? cost.policy : `${cost.policy} ${cost.cmdline}`,
        cost.hostCpuPercent === null ? "-" : `${cost.hostCpuPercent.toFixed(2)}%`,
        busy === null || busy <= 0 || cost.hostCpuPercent === null
          ? "-"
          : `${(cost.hostCpuPercent / busy).toFixed(4)}x`,
        percent(cost.guestHaltedShare),
        decimal(cost.haltsPerSecondPerCore, 0),
        idleCostTarget(cost).text,
      ]),
      ["left", "right", "right", "right", "right", "left"],
    ),
  ];
}

function formatWakeup(wakeup: NonNullable<BenchResults["wakeup"]>): string[] {
  return [
    "Wake-up latency (samples/wakeup-latency, send -> receiver running), microseconds",
    ...formatTable(
      ["policy", "p50", "p99", "samples"],
      wakeup.map((row) =>
        "error" in row
          ? [row.policy, "-", "-", `failed: ${row.error}`]
          : [row.policy, decimal(row.p50Microseconds), decimal(row.p99Microseconds), String(row.samples)],
      ),
      ["left", "right", "right", "right"],
    ),
  ];
}

function formatBoot(rows: BootRow[]): string[] {
  const boots = Math.max(0, ...rows.map((row) => row.qemuToReadyMs.length));
  const spread = (values: number[], unit: (value: number) => string) =>
    values.length === 0
      ? "-"
      : `${unit(median(values)!)} (${unit(Math.min(...values))}-${unit(Math.max(...values))})`;
  const milliseconds = (value: number) => `${value.toFixed(1)} ms`;
  const target = (row: BootRow): string => {
    if (row.skipped !== undefined) return `skipped: ${row.skipped}`;
    if (row.profile === DEFAULT_PROFILE) {
      const value = median(row.qemuToReadyMs);
      const met = value === null ? null : value < TARGETS.bootMedianMilliseconds;
      return `QEMU start to ready < ${TARGETS.bootMedianMilliseconds} ms (${verdict(met)})`;
    }
    if (row.accel === "kvm") {
      const value = median(row.entryToReadyUs);
      const met = value === null ? null : value / 1000 < TARGETS.kvmEntryToReadyMedianMilliseconds;
      return `entry to ready < ${TARGETS.kvmEntryToReadyMedianMilliseconds} ms (${verdict(met)})`;
    }
    return "";
  };
  return [
    `Boot: QEMU start to "toro: ready" (host clock) and kernel entry to ready (guest TSC), samples/hello, ` +
      `${boots} boots per profile: median (min-max)`,
    ...formatTable(
      ["profile", "boot", "accel", "QEMU start to ready", "kernel entry to ready", "target"],
      rows.map((row) => [
        row.profile,
        row.boot,
        row.accel,
        spread(row.qemuToReadyMs, milliseconds),
        spread(
          row.entryToReadyUs.map((value) => value / 1000),
          milliseconds,
        ),
        target(row),
      ]),
      ["left", "left", "left", "right", "right", "left"],
    ),
  ];
}
