// cpu-trace.test.ts - the host-side time to idle: the first 100 ms window under 2% of one core after a
// moment, over 10 ms samples; and the nanosecond reading of a live process (this one). Pairs with
// src/engine/host/cpu-trace.ts.

import { describe, expect, it } from "vitest";
import { CpuSample, readProcessCpuNs, timeToQuiet } from "../../src/engine/host/cpu-trace";

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

describe("readProcessCpuNs", () => {
  it("reads this process's time on CPU in nanoseconds, growing as it computes", () => {
    const before = readProcessCpuNs(process.pid)!;
    let spin = 0;
    for (const end = Date.now() + 30; Date.now() < end;) spin++;
    const after = readProcessCpuNs(process.pid)!;
    expect(spin).toBeGreaterThan(0);
    expect(after - before).toBeGreaterThan(10e6);
    expect(readProcessCpuNs(2 ** 30)).toBeNull();
  });
});
