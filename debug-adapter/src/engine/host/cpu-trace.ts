// cpu-trace.ts - a process's host CPU sampled every 10 ms with nanosecond resolution (the sum of
// /proc/<pid>/task/*/schedstat's time on CPU over all its threads; /proc/<pid>/stat counts 10 ms ticks,
// too coarse to tell 2 ms in 100 ms from 0), and the pure time-to-quiet search over such samples: how the
// network bench measures "time to idle" from the host's side. The sampling runs in a worker thread: the
// load generator keeps the main event loop busy right up to (and just after) the last response, and a
// main-thread timer would then sample late and count its own delay as time not yet idle. Linux only.
// Pairs with process-cpu.ts (the coarse per-interval figures).

import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";

export interface CpuSample {
  /** performance.now() when read. */
  atMs: number;
  /** Nanoseconds on CPU, all threads of the process, since it started. */
  cpuNs: number;
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

/**
 * The sampler's thread: every interval it reads the process's schedstat files and keeps
 * { atEpochMs, cpuNs }; on "stop" it posts them all and exits. Plain JavaScript (evaluated as given).
 */
const SAMPLER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { performance } = require("node:perf_hooks");
const samples = [];
function read() {
  try {
    let total = 0;
    for (const task of fs.readdirSync("/proc/" + workerData.pid + "/task")) {
      try {
        total += Number(fs.readFileSync("/proc/" + workerData.pid + "/task/" + task + "/schedstat", "utf8").split(" ")[0]);
      } catch {}
    }
    samples.push({ atEpochMs: performance.timeOrigin + performance.now(), cpuNs: total });
  } catch {}
}
read();
const timer = setInterval(read, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  read();
  parentPort.postMessage(samples);
  parentPort.close();
});
`;

/** Samples a process every CPU_TRACE_INTERVAL_MS, in a worker thread, between start() and stop(). */
export class CpuTrace {
  /** Filled by stop(); times are this thread's performance.now(). */
  readonly samples: CpuSample[] = [];
  private worker: Worker | null = null;

  constructor(readonly pid: number) {}

  start(): void {
    if (this.worker !== null) return;
    this.worker = new Worker(SAMPLER_SOURCE, {
      eval: true,
      workerData: { pid: this.pid, intervalMs: CPU_TRACE_INTERVAL_MS },
    });
  }

  /** Ends the sampling and collects the samples (safe to call twice, or without start). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    const samples = await new Promise<{ atEpochMs: number; cpuNs: number }[]>((resolve) => {
      worker.once("message", resolve);
      worker.once("error", () => resolve([]));
      worker.once("exit", () => resolve([]));
      worker.postMessage("stop");
    });
    await worker.terminate();
    for (const sample of samples) {
      this.samples.push({ atMs: sample.atEpochMs - performance.timeOrigin, cpuNs: sample.cpuNs });
    }
  }
}
