// series.ts - the live monitor's data model, shared by the extension host (telemetry-store.ts keeps the
// last minute of points) and the webview client (charts.ts draws them). Pure, no DOM and no vscode:
// a telemetry body becomes one MonitorPoint; points become uPlot's column arrays. Above
// MONITOR_MAX_CORE_SERIES cores a point holds groups of cores instead (shares averaged, halts/s summed), so the
// page draws at most that many per-core charts and halts/s lines whatever the vCPU count.

import type { ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";

/** One core at one instant. Shares are 0..1 of the interval before the point; null before the first interval. */
export interface CorePoint {
  busy: number | null;
  lockSpin: number | null;
  idleSpin: number | null;
  polling: number | null;
  halted: number | null;
  haltsPerSecond: number | null;
}

export interface MonitorPoint {
  /** The body's sequence number; increases within a session. */
  sequence: number;
  /** Host wall-clock time, seconds since the epoch (uPlot's time unit). */
  timeSeconds: number;
  target: "running" | "stopped";
  /** Indexed by core index, or by group index when `coresPerSeries` > 1. */
  cores: CorePoint[];
  hostCpuPercent: number | null;
  /** Cores merged into each entry of `cores` (absent: 1, one entry per core). */
  coresPerSeries?: number;
  /** The kernel's core count when `coresPerSeries` > 1 (the last group may be smaller). */
  coreCount?: number;
}

/** The most per-core series (charts, halts/s lines) the monitor draws; above, cores are grouped. */
export const MONITOR_MAX_CORE_SERIES = 16;

/** The stacked categories of a core chart, bottom to top. Interrupt time counts as busy. */
export const STACK_CATEGORIES = ["busy", "lockSpin", "idleSpin", "polling", "halted"] as const;
export type StackCategory = (typeof STACK_CATEGORIES)[number];

export const STACK_LABELS: Record<StackCategory, string> = {
  busy: "busy",
  lockSpin: "lock spin",
  idleSpin: "idle spin",
  polling: "polling",
  halted: "halted",
};

/** The point for a body, or null when the telemetry block was not readable (nothing to plot). */
export function monitorPoint(body: ToroTelemetryBody): MonitorPoint | null {
  if (body.unreadable !== null) return null;
  const cores: CorePoint[] = [];
  for (const core of body.cores) {
    const shares = core.shares;
    cores[core.index] = {
      busy: shares === null ? null : shares.busy + shares.interrupt,
      lockSpin: shares?.lockSpin ?? null,
      idleSpin: shares?.idleSpin ?? null,
      polling: shares?.polling ?? null,
      halted: shares?.halted ?? null,
      haltsPerSecond: core.haltsPerSecond,
    };
  }
  const point: MonitorPoint = {
    sequence: body.sequence,
    timeSeconds: body.timeMs / 1000,
    target: body.target,
    cores,
    hostCpuPercent: body.host.qemuCpuPercent,
  };
  return cores.length > MONITOR_MAX_CORE_SERIES ? groupCores(point) : point;
}

/** Merges the cores of a point into MONITOR_MAX_CORE_SERIES groups of equal size (the last may be smaller). */
export function groupCores(point: MonitorPoint): MonitorPoint {
  const coreCount = point.cores.length;
  const coresPerSeries = Math.ceil(coreCount / MONITOR_MAX_CORE_SERIES);
  const groups: CorePoint[] = [];
  for (let first = 0; first < coreCount; first += coresPerSeries) {
    const members = point.cores.slice(first, first + coresPerSeries).filter((core) => core !== undefined);
    const rates = members.map((core) => core.haltsPerSecond).filter((rate): rate is number => rate !== null);
    groups.push({
      busy: averageOrNull(members.map((core) => core.busy)),
      lockSpin: averageOrNull(members.map((core) => core.lockSpin)),
      idleSpin: averageOrNull(members.map((core) => core.idleSpin)),
      polling: averageOrNull(members.map((core) => core.polling)),
      halted: averageOrNull(members.map((core) => core.halted)),
      haltsPerSecond: rates.length === 0 ? null : rates.reduce((total, rate) => total + rate, 0),
    });
  }
  return { ...point, cores: groups, coresPerSeries, coreCount };
}

/** "CPU 3" for a single core, "CPUs 4-7" for a group (see groupCores). */
export function seriesLabel(point: MonitorPoint | undefined, series: number): string {
  const perSeries = point?.coresPerSeries ?? 1;
  if (perSeries === 1) return `CPU ${series}`;
  const first = series * perSeries;
  const last = Math.min(first + perSeries, point?.coreCount ?? first + perSeries) - 1;
  return `CPUs ${first}-${last}`;
}

/** Drops points older than `windowSeconds` before the newest one. Returns a new array; input untouched. */
export function trimToWindow(points: readonly MonitorPoint[], windowSeconds: number): MonitorPoint[] {
  if (points.length === 0) return [];
  const oldestKept = points[points.length - 1].timeSeconds - windowSeconds;
  let first = 0;
  while (first < points.length && points[first].timeSeconds < oldestKept) first++;
  return points.slice(first);
}

/** The number of cores the points describe (the widest point). */
export function coreCountOf(points: readonly MonitorPoint[]): number {
  let count = 0;
  for (const point of points) count = Math.max(count, point.cores.length);
  return count;
}

/**
 * uPlot columns for one core's stacked chart: [times, top of busy, top of lock spin, ..., top of halted],
 * each value a cumulative percent (0..100), null where the core had no shares.
 */
export function stackedColumns(
  points: readonly MonitorPoint[],
  coreIndex: number,
): Array<Array<number | null>> {
  const columns: Array<Array<number | null>> = [points.map((point) => point.timeSeconds)];
  for (let level = 0; level < STACK_CATEGORIES.length; level++) columns.push([]);
  for (const point of points) {
    const core = point.cores[coreIndex];
    let cumulative = 0;
    for (let level = 0; level < STACK_CATEGORIES.length; level++) {
      const share = core?.[STACK_CATEGORIES[level]] ?? null;
      if (share === null) {
        columns[level + 1].push(null);
        continue;
      }
      cumulative += share * 100;
      columns[level + 1].push(Math.min(cumulative, 100));
    }
  }
  return columns;
}

/** uPlot columns for halts per second: [times, core 0, core 1, ...]. */
export function haltRateColumns(
  points: readonly MonitorPoint[],
  coreCount: number,
): Array<Array<number | null>> {
  const columns: Array<Array<number | null>> = [points.map((point) => point.timeSeconds)];
  for (let core = 0; core < coreCount; core++) {
    columns.push(points.map((point) => point.cores[core]?.haltsPerSecond ?? null));
  }
  return columns;
}

/** uPlot columns for the QEMU process's host CPU: [times, percent]. */
export function hostCpuColumns(points: readonly MonitorPoint[]): Array<Array<number | null>> {
  return [points.map((point) => point.timeSeconds), points.map((point) => point.hostCpuPercent)];
}

function averageOrNull(values: Array<number | null>): number | null {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (value === null) continue;
    sum += value;
    count++;
  }
  return count === 0 ? null : sum / count;
}

/**
 * At most `maximumPoints` points for drawing: consecutive points merged into equal-count buckets, each value
 * the mean of the bucket's non-null values, time and sequence those of the bucket's last point. A chart
 * needs no more points than it has pixels across; at 50 Hz a minute is 3000 points per series.
 */
export function downsample(points: readonly MonitorPoint[], maximumPoints: number): MonitorPoint[] {
  if (points.length <= maximumPoints || maximumPoints < 1) return [...points];
  const result: MonitorPoint[] = [];
  const bucketSize = points.length / maximumPoints;
  for (let bucket = 0; bucket < maximumPoints; bucket++) {
    const members = points.slice(Math.floor(bucket * bucketSize), Math.floor((bucket + 1) * bucketSize));
    if (members.length === 0) continue;
    const last = members[members.length - 1];
    const coreCount = coreCountOf(members);
    const cores: CorePoint[] = [];
    for (let core = 0; core < coreCount; core++) {
      const present = members.map((point) => point.cores[core]).filter((value) => value !== undefined);
      cores[core] = {
        busy: averageOrNull(present.map((value) => value.busy)),
        lockSpin: averageOrNull(present.map((value) => value.lockSpin)),
        idleSpin: averageOrNull(present.map((value) => value.idleSpin)),
        polling: averageOrNull(present.map((value) => value.polling)),
        halted: averageOrNull(present.map((value) => value.halted)),
        haltsPerSecond: averageOrNull(present.map((value) => value.haltsPerSecond)),
      };
    }
    result.push({
      sequence: last.sequence,
      timeSeconds: last.timeSeconds,
      target: last.target,
      cores,
      hostCpuPercent: averageOrNull(members.map((point) => point.hostCpuPercent)),
      coresPerSeries: last.coresPerSeries,
      coreCount: last.coreCount,
    });
  }
  return result;
}
