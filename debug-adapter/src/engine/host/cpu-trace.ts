// cpu-trace.ts - a process's host CPU sampled every 10 ms with nanosecond resolution (the sum of
// /proc/<pid>/task/*/schedstat's time on CPU over all its threads; /proc/<pid>/stat counts 10 ms ticks,
// too coarse to tell 2 ms in 100 ms from 0), and the pure time-to-quiet search over such samples: how the
// network bench measures "time to idle" from the host's side. Linux only. Pairs with process-cpu.ts
// (the coarse per-interval figures).

import * as fs from "node:fs";
import { performance } from "node:perf_hooks";

export interface CpuSample {
  /** performance.now() when read. */
  atMs: number;
  /** Nanoseconds on CPU, all threads of the process, since it started. */
  cpuNs: number;
}

/** The process's time on CPU in nanoseconds (all threads alive now), or null when it is gone. */
export function readProcessCpuNs(pid: number): number | null {
  try {
    let total = 0;
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // a thread that ended between the listing and the read: its time is lost, as with any exit
      }
    }
    return Number.isFinite(total) ? total : null;
  } catch {
    return null;
  }
}

/**
 * From `fromMs` on, the start of the first window of `windowMs` in which the process used less than
 * `thresholdPercent` of one host core; returned as milliseconds after `fromMs` (0 when it was already quiet),
 * or null when no such window lies within the samples. Windows start at samples; a window starting just
 * before `fromMs` (within one sample interval) counts as starting at `fromMs`.
 */
export function timeToQuiet(
  samples: readonly CpuSample[],
  fromMs: number,
  windowMs: number,
  thresholdPercent: number,
  intervalMs = CPU_TRACE_INTERVAL_MS,
): number | null {
  let end = 0;
  for (let start = 0; start < samples.length; start++) {
    if (samples[start].atMs < fromMs - intervalMs) continue;
    if (end < start) end = start;
    while (end < samples.length && samples[end].atMs - samples[start].atMs < windowMs) end++;
    if (end >= samples.length) return null;
    const elapsedMs = samples[end].atMs - samples[start].atMs;
    const percent = ((samples[end].cpuNs - samples[start].cpuNs) / 1e6 / elapsedMs) * 100;
    if (percent < thresholdPercent) return Math.max(0, samples[start].atMs - fromMs);
  }
  return null;
}

export const CPU_TRACE_INTERVAL_MS = 10;

/** Samples a process every CPU_TRACE_INTERVAL_MS between start() and stop(). */
export class CpuTrace {
  readonly samples: CpuSample[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly pid: number) {}

  start(): void {
    if (this.timer !== null) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), CPU_TRACE_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private sample(): void {
    const cpuNs = readProcessCpuNs(this.pid);
    if (cpuNs !== null) this.samples.push({ atMs: performance.now(), cpuNs });
  }
}
