// bench-report.ts - the benchmark's results as text tables with the targets beside them, one section per
// group that ran (idle cost, wake-up latency, boot here; adapter-report.ts and telemetry-report.ts for the
// rest). Pure; pairs with bench-command.ts (which measures) and statistics.ts.

import { IdleCost } from "./idle-cost";
import { WakeupLatency } from "./wakeup-latency";
import { F5Results, StepResults } from "./f5-latency";
import { TelemetryRateResults } from "./telemetry-rate";
import { ThroughputResults } from "./guest-throughput";
import { formatF5Section, formatStepSection } from "./adapter-report";
import { formatTelemetrySection } from "./telemetry-report";
import { verdict } from "./verdict";
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
  bootMilliseconds?: number[];
  bootMedianMilliseconds?: number | null;
  f5?: F5Results;
  steps?: StepResults;
  telemetryRate?: TelemetryRateResults;
  throughput?: ThroughputResults;
  network?: NetworkResults;
}

/** Targets from the issues: host CPU with every vCPU idle, and boot time. */
export const TARGETS = {
  tickless: { maximumHostCpuPercent: 1 },
  halt: { maximumHostCpuPercent: 3 },
  bootMedianMilliseconds: 150,
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
  if (results.bootMilliseconds !== undefined) {
    sections.push(
      formatBoot(results.profile, results.bootMilliseconds, results.bootMedianMilliseconds ?? null),
    );
  }
  if (results.f5 !== undefined) sections.push(formatF5Section(results.f5));
  if (results.steps !== undefined) sections.push(formatStepSection(results.steps));
  if (results.telemetryRate !== undefined || results.throughput !== undefined) {
    sections.push(formatTelemetrySection(results.telemetryRate, results.throughput));
  }
  if (results.network !== undefined) sections.push(formatNetworkSection(results.network));
  return sections.flatMap((section, index) => (index === 0 ? section : ["", ...section]));
}

function formatIdleCost(results: BenchResults, idleCost: IdleCost[]): string[] {
  const busy = idleCost.find((cost) => cost.policy === "busy")?.hostCpuPercent ?? null;
  return [
    `Idle cost: QEMU host CPU with ${results.cpus} idle vCPUs, ${results.seconds} s per policy ` +
      `(profile ${results.profile}, ${results.accel}, ${results.hostCores} host cores; 100% = one host core, ` +
      `resolution ${results.hostCpuResolutionPercent.toFixed(2)}%)`,
    ...formatTable(
      ["policy", "host CPU", "vs busy", "guest halted", "halts/s/core", "target"],
      idleCost.map((cost) => [
        cost.policy,
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

function formatBoot(profile: string, bootMilliseconds: number[], median: number | null): string[] {
  const met = median === null ? null : median < TARGETS.bootMedianMilliseconds;
  const extreme = (pick: (...values: number[]) => number) =>
    bootMilliseconds.length === 0 ? "-" : `${pick(...bootMilliseconds).toFixed(1)} ms`;
  return [
    `Boot: QEMU start to "toro: ready", profile ${profile}, ${bootMilliseconds.length} boots`,
    ...formatTable(
      ["median", "min", "max", "target"],
      [
        [
          median === null ? "-" : `${median.toFixed(1)} ms`,
          extreme(Math.min),
          extreme(Math.max),
          `< ${TARGETS.bootMedianMilliseconds} ms (${verdict(met)})`,
        ],
      ],
      ["right", "right", "right", "left"],
    ),
  ];
}
