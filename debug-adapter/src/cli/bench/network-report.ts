// network-report.ts - the benchmark's network section: per vCPU count and idle policy, HTTP requests/s with
// QEMU's host CPU under load, host CPU after the load and time-to-idle, and the busy/tickless ratio of the
// host CPU after the load (the seed's "about 1% within seconds" against a host CPU per vCPU). Pure; pairs
// with network-load.ts.

import { decimal, formatTable } from "../text-table";
import { NetworkLoadResult, NetworkLoadRow, NETWORK_CONNECTIONS, QUIET_MS } from "./network-load";
import { verdict } from "./verdict";

export const NETWORK_TARGETS = { maximumTimeToIdleMilliseconds: 100 } as const;

export interface NetworkResults {
  seconds: number;
  /** One /proc clock tick over the window, in percent: a host CPU below this reads as 0. */
  hostCpuResolutionPercent: number;
  rows: NetworkLoadResult[];
}

const cpuText = (value: number | null) => (value === null ? "-" : `${value.toFixed(1)}%`);

function timeToIdleTarget(row: NetworkLoadRow): string {
  if (row.policy !== "tickless") return "";
  const met =
    row.timeToIdleMilliseconds === null
      ? false
      : row.timeToIdleMilliseconds < NETWORK_TARGETS.maximumTimeToIdleMilliseconds;
  return `< ${NETWORK_TARGETS.maximumTimeToIdleMilliseconds} ms (${verdict(met)})`;
}

/**
 * Host CPU after the load, busy divided by tickless, per vCPU count (null when either is missing). A tickless
 * figure below one clock tick is replaced by the resolution, and the ratio is then a lower bound.
 */
export function busyToTicklessRatios(
  rows: NetworkLoadResult[],
  resolutionPercent: number,
): { cpus: number; ratio: number | null; lowerBound: boolean }[] {
  const measured = rows.filter((row): row is NetworkLoadRow => !("error" in row));
  const counts = [...new Set(rows.map((row) => row.cpus))];
  return counts.map((cpus) => {
    const busy = measured.find((row) => row.cpus === cpus && row.policy === "busy")?.afterHostCpuPercent;
    const tickless = measured.find(
      (row) => row.cpus === cpus && row.policy === "tickless",
    )?.afterHostCpuPercent;
    if (busy === undefined || busy === null || tickless === undefined || tickless === null) {
      return { cpus, ratio: null, lowerBound: false };
    }
    const lowerBound = tickless < resolutionPercent;
    return { cpus, ratio: busy / Math.max(tickless, resolutionPercent), lowerBound };
  });
}

export function formatNetworkSection(results: NetworkResults): string[] {
  const ratios = busyToTicklessRatios(results.rows, results.hostCpuResolutionPercent)
    .map(
      ({ cpus, ratio, lowerBound }) =>
        `${cpus} vCPU${cpus === 1 ? "" : "s"} ` +
        (ratio === null ? "-" : `${lowerBound ? ">= " : ""}${ratio.toFixed(0)}x`),
    )
    .join(", ");
  return [
    `Network: samples/http-server, ${NETWORK_CONNECTIONS} keep-alive connections for ${results.seconds} s ` +
      `(toro stress), then ${results.seconds} s without load; host CPU is QEMU's, 100% = one host core; ` +
      `idle = every core halted for ${QUIET_MS} ms without a wake-up`,
    ...formatTable(
      [
        "vCPUs",
        "idle",
        "requests/s",
        "p50",
        "p99",
        "failed",
        "CPU under load",
        "CPU after",
        "time to idle",
        "wake-ups after",
        "target",
      ],
      results.rows.map((row) =>
        "error" in row
          ? [String(row.cpus), row.policy, "-", "-", "-", "-", "-", "-", "-", "-", `failed: ${row.error}`]
          : [
              String(row.cpus),
              row.policy,
              decimal(row.requestsPerSecond, 0),
              row.p50Milliseconds === null ? "-" : `${row.p50Milliseconds.toFixed(2)} ms`,
              row.p99Milliseconds === null ? "-" : `${row.p99Milliseconds.toFixed(1)} ms`,
              String(row.failures),
              cpuText(row.loadHostCpuPercent),
              cpuText(row.afterHostCpuPercent),
              row.timeToIdleMilliseconds === null ? "never" : `${row.timeToIdleMilliseconds.toFixed(1)} ms`,
              row.wakeupsAfterIdle === null ? "-" : String(row.wakeupsAfterIdle),
              timeToIdleTarget(row),
            ],
      ),
      ["right", "left", "right", "right", "right", "right", "right", "right", "right", "right", "left"],
    ),
    `Host CPU after the load, busy / tickless: ${ratios}`,
  ];
}
