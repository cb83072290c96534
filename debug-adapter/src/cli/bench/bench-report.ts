// bench-report.ts - the benchmark's results as a text table with the targets beside them. Pure; pairs with
// bench-command.ts (which measures) and statistics.ts.

import { IdleCost } from "./idle-cost";
import { WakeupLatency } from "./wakeup-latency";
import { decimal, formatTable, percent } from "../text-table";

export interface BenchResults {
  profile: string;
  cpus: number;
  accel: string;
  hostCores: number;
  seconds: number;
  /** One /proc clock tick over the window, in percent: host CPU below this reads as 0. */
  hostCpuResolutionPercent: number;
  idleCost: IdleCost[];
  wakeup: (WakeupLatency | { policy: string; error: string })[];
  bootMilliseconds: number[];
  bootMedianMilliseconds: number | null;
}

/** Targets from the issue: host CPU with every vCPU idle, and boot time. */
export const TARGETS = {
  tickless: { maximumHostCpuPercent: 1 },
  halt: { maximumHostCpuPercent: 3 },
  bootMedianMilliseconds: 150,
} as const;

function verdict(met: boolean | null): string {
  return met === null ? "-" : met ? "met" : "MISSED";
}

export function idleCostTarget(cost: IdleCost): { text: string; met: boolean | null } {
  const target = cost.policy === "tickless" || cost.policy === "halt" ? TARGETS[cost.policy] : undefined;
  if (target === undefined) return { text: "", met: null };
  const met = cost.hostCpuPercent === null ? null : cost.hostCpuPercent <= target.maximumHostCpuPercent;
  return { text: `<= ${target.maximumHostCpuPercent}% (${verdict(met)})`, met };
}

export function formatBenchReport(results: BenchResults): string[] {
  const busy = results.idleCost.find((cost) => cost.policy === "busy")?.hostCpuPercent ?? null;
  const lines = [
    `Idle cost: QEMU host CPU with ${results.cpus} idle vCPUs, ${results.seconds} s per policy ` +
      `(profile ${results.profile}, ${results.accel}, ${results.hostCores} host cores; 100% = one host core, ` +
      `resolution ${results.hostCpuResolutionPercent.toFixed(2)}%)`,
    ...formatTable(
      ["policy", "host CPU", "vs busy", "guest halted", "halts/s/core", "target"],
      results.idleCost.map((cost) => [
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
    "",
    "Wake-up latency (samples/wakeup-latency, send -> receiver running), microseconds",
    ...formatTable(
      ["policy", "p50", "p99", "samples"],
      results.wakeup.map((row) =>
        "error" in row
          ? [row.policy, "-", "-", `failed: ${row.error}`]
          : [row.policy, decimal(row.p50Microseconds), decimal(row.p99Microseconds), String(row.samples)],
      ),
      ["left", "right", "right", "right"],
    ),
    "",
    `Boot: QEMU start to "toro: ready", profile ${results.profile}, ${results.bootMilliseconds.length} boots`,
  ];
  const median = results.bootMedianMilliseconds;
  const met = median === null ? null : median < TARGETS.bootMedianMilliseconds;
  lines.push(
    ...formatTable(
      ["median", "min", "max", "target"],
      [
        [
          median === null ? "-" : `${median.toFixed(1)} ms`,
          results.bootMilliseconds.length === 0
            ? "-"
            : `${Math.min(...results.bootMilliseconds).toFixed(1)} ms`,
          results.bootMilliseconds.length === 0
            ? "-"
            : `${Math.max(...results.bootMilliseconds).toFixed(1)} ms`,
          `< ${TARGETS.bootMedianMilliseconds} ms (${verdict(met)})`,
        ],
      ],
      ["right", "right", "right", "left"],
    ),
  );
  return lines;
}
