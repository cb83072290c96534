// cpu-trace.test.ts - the host-side time to idle: the first 100 ms window under 2% of one core after a
// moment, over 10 ms samples; and the worker-thread sampler on a live process (this one). Pairs with
// src/engine/host/cpu-trace.ts.

import { describe, expect, it } from "vitest";
import { performance } from "node:perf_hooks";
import { CpuSample, CpuTrace, timeToQuiet } from "../../src/engine/host/cpu-trace";

/** Samples every 10 ms from 0; `busyPercent(t)` is the CPU use during the 10 ms before t. */
function samples(count: number, busyPercent: (atMs: number) => number): CpuSample[] {
  const result: CpuSample[] = [{ atMs: 0, cpuNs: 0 }];
  for (let index = 1; index < count; index++) {
    const atMs = index * 10;
    result.push({ atMs, cpuNs: result[index - 1].cpuNs + busyPercent(atMs) * 1e5 });
  }
  return result;
}

describe("timeToQuiet", () => {
  it("finds the first 100 ms window under the threshold after the moment", () => {
    const trace = samples(100, (atMs) => (atMs <= 300 ? 50 : 0.5));
    expect(timeToQuiet(trace, 100, 100, 2)).toBe(200); // the window 300-400 ms
  });

  it("is 0 when the process was quiet from the moment on, and counts a window starting just before it", () => {
    expect(
      timeToQuiet(
        samples(50, () => 1),
        105,
        100,
        2,
      ),
    ).toBe(0);
  });

  it("does not end on a short quiet gap inside a busy stretch", () => {
    // Busy until 490 ms but idle in every 10 ms ending at a multiple of 100: no 100 ms window is quiet
    // before the one starting at 490.
    const trace = samples(100, (atMs) => (atMs < 500 && atMs % 100 !== 0 ? 30 : 0));
    expect(timeToQuiet(trace, 0, 100, 2)).toBe(490);
  });

  it("is null when no quiet window lies within the samples", () => {
    expect(
      timeToQuiet(
        samples(30, () => 10),
        0,
        100,
        2,
      ),
    ).toBeNull();
    expect(timeToQuiet([], 0, 100, 2)).toBeNull();
  });
});

describe("CpuTrace", () => {
  it("samples this process every 10 ms from a worker thread, even while the main thread computes", async () => {
    const trace = new CpuTrace(process.pid);
    trace.start();
    await new Promise((resolve) => setTimeout(resolve, 500)); // the worker starts (150 ms measured)
    const busyFromMs = performance.now();
    for (const end = Date.now() + 150; Date.now() < end;); // the main thread never yields here
    const busyToMs = performance.now();
    await trace.stop();
    const during = trace.samples.filter((sample) => sample.atMs > busyFromMs && sample.atMs < busyToMs);
    expect(during.length, "samples taken while the main thread was busy").toBeGreaterThan(5);
    const first = trace.samples[0];
    const last = trace.samples[trace.samples.length - 1];
    expect(last.cpuNs - first.cpuNs).toBeGreaterThan(10e6); // part of the 150 ms of spinning (a busy host shares)
    await trace.stop(); // twice is harmless
    const gone = new CpuTrace(2 ** 30);
    gone.start();
    await gone.stop();
    expect(gone.samples).toEqual([]);
  });
});
