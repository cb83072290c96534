// network-report.ts - the benchmark's network section: per vCPU count, idle policy and load (keep-alive or
// a new connection per request), HTTP requests/s with QEMU's host CPU under load, host CPU after the load
// and time to idle; the 4-vCPU / 1-vCPU requests/s per load (more cores must serve at least as much) and
// the busy/tickless ratio of the host CPU after the load (the seed's "about 1% within seconds" against a
// host CPU per vCPU). Pure; pairs with network-load.ts.

import { decimal, formatTable } from "../text-table";
import {
  NetworkLoadMode,
  NetworkLoadResult,
  NetworkLoadRow,
  NETWORK_CONNECTIONS,
  NEW_CONNECTION_CONCURRENCY,
  QUIET_HOST_CPU_PERCENT,
  QUIET_MS,
  QUIET_WINDOW_MS,
} from "./network-load";
import { median } from "./statistics";
import { verdict } from "./verdict";

export const NETWORK_TARGETS = {
  maximumTimeToIdleMilliseconds: 100,
  /** 4 vCPUs serve at least as many requests/s as 1, under each load. */
  minimumScaling: 1,
  /** New-connection requests/s on 4 vCPUs (a peer kernel's 2,755 with `ab -c 8`, plus a fifth). */
  minimumNewConnectionRate: 3300,
} as const;

export interface NetworkResults {
  seconds: number;
  /** One /proc clock tick over the window, in percent: a host CPU below this reads as 0. */
  hostCpuResolutionPercent: number;
  rows: NetworkLoadResult[];
}

const cpuText = (value: number | null) => (value === null ? "-" : `${value.toFixed(1)}%`);

/**
 * QEMU's host CPU per request under the load, microseconds (null without both): what a request cost the
 * host whatever share of it QEMU got, so two rows compare even when other processes took host time.
 */
export function hostMicrosecondsPerRequest(row: NetworkLoadRow): number | null {
  if (row.loadHostCpuPercent === null || row.requestsPerSecond <= 0) return null;
  return (row.loadHostCpuPercent / 100 / row.requestsPerSecond) * 1e6;
}

function rowTargets(row: NetworkLoadRow): string {
  if (row.policy !== "tickless") return "";
  const met =
    row.timeToIdleMilliseconds === null
      ? false
      : row.timeToIdleMilliseconds < NETWORK_TARGETS.maximumTimeToIdleMilliseconds;
  const targets = [`idle < ${NETWORK_TARGETS.maximumTimeToIdleMilliseconds} ms (${verdict(met)})`];
  if (row.mode === "new-connection" && row.cpus === 4) {
    const rateMet = row.requestsPerSecond >= NETWORK_TARGETS.minimumNewConnectionRate;
    targets.push(`>= ${decimal(NETWORK_TARGETS.minimumNewConnectionRate, 0)} req/s (${verdict(rateMet)})`);
  }
  return targets.join(", ");
}

export interface ScalingRatio {
  mode: NetworkLoadMode;
  /** Per round, in round order: the two counts measured side by side (null when a row is missing). */
  rounds: (number | null)[];
  /** The median of the rounds' ratios (null when none was measured): what the target is checked on. */
  ratio: number | null;
}

/**
 * Tickless requests/s (or what `pick` takes) on the most vCPUs divided by that on the fewest, per load:
 * within each round (the two rows measured one after the other, under the same host conditions), then the
 * median over rounds.
 */
export function scalingRatios(
  rows: NetworkLoadResult[],
  pick: (row: NetworkLoadRow) => number | null = (row) => row.requestsPerSecond,
): ScalingRatio[] {
  const measured = rows.filter(
    (row): row is NetworkLoadRow => !("error" in row) && row.policy === "tickless",
  );
  const counts = [...new Set(rows.map((row) => row.cpus))].sort((a, b) => a - b);
  const modes = [...new Set(rows.filter((row) => row.policy === "tickless").map((row) => row.mode))];
  const rounds = [...new Set(rows.filter((row) => row.policy === "tickless").map((row) => row.round))].sort(
    (a, b) => a - b,
  );
  return modes.map((mode) => {
    const perRound = rounds.map((round) => {
      const rate = (cpus: number | undefined) => {
        const row = measured.find((row) => row.cpus === cpus && row.mode === mode && row.round === round);
        return row === undefined ? undefined : (pick(row) ?? undefined);
      };
      const fewest = rate(counts[0]);
      const most = rate(counts[counts.length - 1]);
      return counts.length < 2 || !fewest || most === undefined ? null : most / fewest;
    });
    return { mode, rounds: perRound, ratio: median(perRound.filter((ratio) => ratio !== null)) };
  });
}

/**
 * Host CPU after the load, busy divided by tickless, per vCPU count (null when either is missing). A tickless
 * figure below one clock tick is replaced by the resolution, and the ratio is then a lower bound.
 */
export function busyToTicklessRatios(
  rows: NetworkLoadResult[],
  resolutionPercent: number,
): { cpus: number; ratio: number | null; lowerBound: boolean }[] {
  const measured = rows.filter(
    (row): row is NetworkLoadRow => !("error" in row) && row.mode === "keep-alive",
  );
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

/** One line per measured tickless row: what each core did during the load (CoreLoadCounters). */
export function perCoreLines(rows: NetworkLoadResult[]): string[] {
  return rows
    .filter((row): row is NetworkLoadRow => !("error" in row) && row.policy === "tickless")
    .map(
      (row) =>
        `  round ${row.round}, ${row.cpus} vCPU${row.cpus === 1 ? "" : "s"} ${row.mode}: ` +
        (row.loadCores.length === 0
          ? "-"
          : row.loadCores
              .map(
                (core, index) =>
                  `${index}: ${core.busyPercent.toFixed(0)}%, ${core.halts} (${core.timerWakes}/${core.ipiWakes}), ` +
                  `${core.framesIn}`,
              )
              .join("; ")),
    );
}

export function formatNetworkSection(results: NetworkResults): string[] {
  const ratios = busyToTicklessRatios(results.rows, results.hostCpuResolutionPercent)
    .map(
      ({ cpus, ratio, lowerBound }) =>
        `${cpus} vCPU${cpus === 1 ? "" : "s"} ` +
        (ratio === null ? "-" : `${lowerBound ? ">= " : ""}${ratio.toFixed(0)}x`),
    )
    .join(", ");
  const counts = [...new Set(results.rows.map((row) => row.cpus))].sort((a, b) => a - b);
  const ratioText = (ratio: number | null) => (ratio === null ? "-" : `${ratio.toFixed(2)}x`);
  const scaling = scalingRatios(results.rows)
    .map(({ mode, rounds, ratio }) => {
      const met = ratio !== null && ratio >= NETWORK_TARGETS.minimumScaling;
      return `${mode} ${ratioText(ratio)} (${verdict(met)}; rounds ${rounds.map(ratioText).join(" ")})`;
    })
    .join(", ");
  return [
    `Network: samples/http-server, ${NETWORK_CONNECTIONS} keep-alive connections or ` +
      `${NEW_CONNECTION_CONCURRENCY} loops of a new connection per request for ${results.seconds} s ` +
      `(tickless: 1 and 4 vCPUs side by side per round, which goes first alternating) ` +
      `(toro stress), then ${results.seconds} s without load; host CPU is QEMU's, 100% = one host core; ` +
      `time to idle = from the last response to the first ${QUIET_WINDOW_MS} ms under ` +
      `${QUIET_HOST_CPU_PERCENT}% host CPU (sampled every 10 ms); all halted = every core halted for ` +
      `${QUIET_MS} ms without a wake-up`,
    ...formatTable(
      [
        "round",
        "vCPUs",
        "idle",
        "load",
        "requests/s",
        "p50",
        "p99",
        "failed",
        "retries",
        "CPU under load",
        "CPU/request",
        "CPU after",
        "time to idle",
        "all halted",
        "wake-ups after",
        "target",
      ],
      results.rows.map((row) =>
        "error" in row
          ? [
              String(row.round),
              String(row.cpus),
              row.policy,
              row.mode,
              "-",
              "-",
              "-",
              "-",
              "-",
              "-",
              "-",
              "-",
              "-",
              "-",
              "-",
              `failed: ${row.error}`,
            ]
          : [
              String(row.round),
              String(row.cpus),
              row.policy,
              row.mode,
              decimal(row.requestsPerSecond, 0),
              row.p50Milliseconds === null ? "-" : `${row.p50Milliseconds.toFixed(2)} ms`,
              row.p99Milliseconds === null ? "-" : `${row.p99Milliseconds.toFixed(1)} ms`,
              String(row.failures),
              String(row.connectRetries),
              cpuText(row.loadHostCpuPercent),
              ((us) => (us === null ? "-" : `${us.toFixed(0)} us`))(hostMicrosecondsPerRequest(row)),
              cpuText(row.afterHostCpuPercent),
              row.timeToIdleMilliseconds === null ? "never" : `${row.timeToIdleMilliseconds.toFixed(1)} ms`,
              row.timeToAllHaltedMilliseconds === null
                ? "never"
                : `${row.timeToAllHaltedMilliseconds.toFixed(1)} ms`,
              row.wakeupsAfterIdle === null ? "-" : String(row.wakeupsAfterIdle),
              rowTargets(row),
            ],
      ),
      [
        "right",
        "right",
        "left",
        "left",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "right",
        "left",
      ],
    ),
    "Per core under the load (tickless rows; core: busy %, wake-ups of which timer/IPI, frames in):",
    ...perCoreLines(results.rows),
    `Requests/s, ${counts[counts.length - 1]} vCPUs / ${counts[0]} vCPU (tickless, median of the rounds' ratios, target >= ` +
      `${NETWORK_TARGETS.minimumScaling}): ${scaling}`,
    `QEMU's host CPU per request, ${counts[counts.length - 1]} vCPUs / ${counts[0]} vCPU (tickless, median ` +
      `of the rounds' ratios; 1 = the same cost): ` +
      scalingRatios(results.rows, hostMicrosecondsPerRequest)
        .map(
          ({ mode, rounds, ratio }) =>
            `${mode} ${ratioText(ratio)} (rounds ${rounds.map(ratioText).join(" ")})`,
        )
        .join(", "),
    `Host CPU after the keep-alive load, busy / tickless: ${ratios}`,
  ];
}
