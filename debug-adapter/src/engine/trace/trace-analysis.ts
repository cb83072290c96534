// trace-analysis.ts - answers from a timeline (core-timeline.ts), per core: halt residency, a histogram of
// halt lengths, wake-ups per second by reason (and IPI wake-ups by sending core), and the top 5 reasons the
// core was not halted (a thread running, polling, spinning on a lock, the kernel between threads), each with
// its time and share of the window. Plain data for `toro run --json`; chrome-trace.ts draws the same timeline.

import { ChromeTraceNames } from "./chrome-trace";
import { Interval, Timeline } from "./core-timeline";
import { WAKE_REASONS, WakeReason } from "./trace-events";

/** Upper bounds of the halt-length buckets, microseconds (the last bucket is "and longer"). */
export const HALT_BUCKETS_US = [10, 100, 1_000, 10_000, 100_000, 1_000_000] as const;
export const TOP_REASONS = 5;

export interface HaltBucket {
  /** "< 10 us", "10 us - 100 us", ..., ">= 1 s". */
  label: string;
  count: number;
}

export interface NotHaltedReason {
  reason: string;
  seconds: number;
  /** Of the window. */
  share: number;
}

export interface CoreTraceAnalysis {
  core: number;
  windowSeconds: number;
  /** Time halted / window, 0..1 (a core with no event in the window counts as its final state says). */
  haltResidency: number;
  halts: number;
  haltLengths: HaltBucket[];
  wakeupsPerSecond: Record<WakeReason, number>;
  /** IPI wake-ups per second by sending core. */
  ipiWakeupsPerSecondFrom: Record<string, number>;
  notHalted: NotHaltedReason[];
}

/**
 * `haltedThroughout`: cores known (from telemetry) to be halted during a window in which they wrote no event;
 * other cores without events count as not halted, for an unknown reason.
 */
export function analyzeTimeline(
  timeline: Timeline,
  tscHz: number,
  names: ChromeTraceNames,
  haltedThroughout: Set<number> = new Set(),
): CoreTraceAnalysis[] {
  const windowCycles = Math.max(0, timeline.endTsc - timeline.startTsc);
  const windowSeconds = windowCycles / tscHz;
  const byCore = new Map<number, Interval[]>(timeline.cores.map((core) => [core, []]));
  for (const interval of timeline.intervals) byCore.get(interval.core)?.push(interval);
  return timeline.cores.map((core) => {
    const intervals = byCore.get(core)!;
    const halts = intervals.filter((interval) => interval.kind === "halt");
    const quiet = intervals.length === 0 && haltedThroughout.has(core);
    const haltedCycles = quiet ? windowCycles : sum(halts);
    const wakeups = Object.fromEntries(WAKE_REASONS.map((reason) => [reason, 0])) as Record<
      WakeReason,
      number
    >;
    const ipiFrom: Record<string, number> = {};
    for (const halt of halts) {
      if (halt.openEnd || halt.wakeReason === null || halt.wakeReason === undefined) continue;
      wakeups[halt.wakeReason]++;
      if (halt.wakeReason === "ipi" && halt.wakeSource !== null && halt.wakeSource !== undefined) {
        ipiFrom[`core ${halt.wakeSource}`] = (ipiFrom[`core ${halt.wakeSource}`] ?? 0) + 1;
      }
    }
    const perSecond = (count: number) => (windowSeconds > 0 ? count / windowSeconds : 0);
    return {
      core,
      windowSeconds,
      haltResidency: windowCycles > 0 ? Math.min(1, haltedCycles / windowCycles) : 0,
      halts: halts.length,
      haltLengths: histogram(
        halts.filter((halt) => !halt.openStart && !halt.openEnd),
        tscHz,
      ),
      wakeupsPerSecond: Object.fromEntries(
        Object.entries(wakeups).map(([reason, count]) => [reason, perSecond(count)]),
      ) as Record<WakeReason, number>,
      ipiWakeupsPerSecondFrom: Object.fromEntries(
        Object.entries(ipiFrom).map(([from, count]) => [from, perSecond(count)]),
      ),
      notHalted: quiet
        ? []
        : notHaltedReasons(intervals, windowCycles - haltedCycles, windowCycles, tscHz, names),
    };
  });
}

function sum(intervals: Interval[]): number {
  return intervals.reduce((total, interval) => total + (interval.endTsc - interval.startTsc), 0);
}

function histogram(halts: Interval[], tscHz: number): HaltBucket[] {
  const counts = new Array<number>(HALT_BUCKETS_US.length + 1).fill(0);
  for (const halt of halts) {
    const microseconds = ((halt.endTsc - halt.startTsc) / tscHz) * 1e6;
    const bucket = HALT_BUCKETS_US.findIndex((limit) => microseconds < limit);
    counts[bucket < 0 ? HALT_BUCKETS_US.length : bucket]++;
  }
  return counts.map((count, index) => ({ label: bucketLabel(index), count }));
}

function formatMicroseconds(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000} s`;
  if (value >= 1_000) return `${value / 1_000} ms`;
  return `${value} us`;
}

function bucketLabel(index: number): string {
  if (index === 0) return `< ${formatMicroseconds(HALT_BUCKETS_US[0])}`;
  if (index === HALT_BUCKETS_US.length) return `>= ${formatMicroseconds(HALT_BUCKETS_US[index - 1])}`;
  return `${formatMicroseconds(HALT_BUCKETS_US[index - 1])} - ${formatMicroseconds(HALT_BUCKETS_US[index])}`;
}

/**
 * Where the non-halted time went: lock spins by lock, thread runs by thread (less the spins inside them),
 * and the rest - scheduler loop, interrupts, idle spinning under busy/pause - as "kernel, no thread".
 */
function notHaltedReasons(
  intervals: Interval[],
  notHaltedCycles: number,
  windowCycles: number,
  tscHz: number,
  names: ChromeTraceNames,
): NotHaltedReason[] {
  const cycles = new Map<string, number>();
  const add = (reason: string, value: number) => cycles.set(reason, (cycles.get(reason) ?? 0) + value);
  let spinInThreads = 0;
  const threads = intervals
    .filter((interval) => interval.kind === "thread")
    .sort((a, b) => a.startTsc - b.startTsc);
  for (const interval of intervals) {
    const length = interval.endTsc - interval.startTsc;
    if (interval.kind === "lock-spin") {
      const lock =
        interval.lock === null || interval.lock === undefined
          ? "an unregistered lock"
          : `lock ${names.locks.get(interval.lock) ?? interval.lock}`;
      add(`spinning on ${lock}`, length);
      const enclosing = threads[lastStartingAtOrBefore(threads, interval.startTsc)];
      if (enclosing !== undefined && interval.endTsc <= enclosing.endTsc) spinInThreads += length;
    }
  }
  const threadCycles = new Map<string, number>();
  for (const thread of threads) {
    const name = names.threads.get(thread.threadId ?? -1) ?? `thread ${thread.threadId}`;
    const reason = thread.polling ? `polling in ${name}` : `running ${name}`;
    threadCycles.set(reason, (threadCycles.get(reason) ?? 0) + (thread.endTsc - thread.startTsc));
  }
  // Spins inside a thread's run were counted for the lock: take them out of the threads, largest first.
  let toRemove = spinInThreads;
  for (const [reason, value] of [...threadCycles.entries()].sort((a, b) => b[1] - a[1])) {
    const removed = Math.min(value, toRemove);
    toRemove -= removed;
    add(reason, value - removed);
  }
  const attributed = [...cycles.values()].reduce((total, value) => total + value, 0);
  add("kernel, no thread (scheduler, interrupts, idle spin)", Math.max(0, notHaltedCycles - attributed));
  return [...cycles.entries()]
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_REASONS)
    .map(([reason, value]) => ({
      reason,
      seconds: value / tscHz,
      share: windowCycles > 0 ? value / windowCycles : 0,
    }));
}

/** Index of the last interval (sorted by start) that starts at or before `tsc`, -1 if none. */
function lastStartingAtOrBefore(sorted: Interval[], tsc: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (sorted[middle].startTsc <= tsc) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
