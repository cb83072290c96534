// trace-cost.test.ts - the event-trace cost row's pure parts: samples/trace-load's slice lines parsed (and
// other lines ignored), ratios taken only against off neighbours, the control slices as the noise, the
// verdict "inconclusive" when the noise is as large as the target, and the report's rows.

import { describe, expect, it } from "vitest";
import {
  formatTraceCost,
  parseTraceLoadLine,
  resolvesTarget,
  summarizeTraceLoad,
  TraceLoadSlice,
} from "../../src/bench/trace-cost";

const slice = (mode: TraceLoadSlice["mode"], ops: number, events = 0): TraceLoadSlice => ({
  mode,
  ops,
  nanoseconds: 200_000_000,
  events,
});

describe("parseTraceLoadLine", () => {
  it("reads a slice line and ignores the others", () => {
    expect(parseTraceLoadLine("trace-load: slice=3 mode=control ops=8069 ns=200038826 events=0")).toEqual({
      mode: "control",
      ops: 8069,
      nanoseconds: 200038826,
      events: 0,
    });
    expect(
      parseTraceLoadLine("trace-load: 4 cores, 2 tokens, 3 rounds of 200 ms slices, work=256"),
    ).toBeNull();
    expect(parseTraceLoadLine("trace-load: slice=1 mode=maybe ops=1 ns=1 events=0")).toBeNull();
  });
});

describe("summarizeTraceLoad", () => {
  // Two rounds: off on off control off on off control off; off at 10,000 ops per slice (50,000/s).
  const slices = [
    slice("off", 10_000),
    slice("on", 9_500, 100_000),
    slice("off", 10_000),
    slice("control", 10_100),
    slice("off", 10_000),
    slice("on", 9_700, 100_000),
    slice("off", 10_000),
    slice("control", 9_900),
    slice("off", 10_000),
  ];

  it("compares on and control slices with the mean of their off neighbours", () => {
    const run = summarizeTraceLoad("icount", slices);
    expect(run.offOpsPerSecond).toBe(50_000);
    expect(run.on.min).toBeCloseTo(0.95);
    expect(run.on.max).toBeCloseTo(0.97);
    expect(run.on.median).toBeCloseTo(0.96);
    expect(run.control.min).toBeCloseTo(0.99);
    expect(run.control.max).toBeCloseTo(1.01);
    expect(run.eventsPerSecond).toBe(500_000);
    // (1 - 0.96) of a guest second spread over 500,000 events.
    expect(run.nanosecondsPerEvent).toBeCloseTo(80);
    expect(run.eventsWhileOff).toBe(0);
    expect(resolvesTarget(run)).toBe(true);
  });

  it("takes no ratio for a slice without an off slice on each side", () => {
    const run = summarizeTraceLoad("tsc", [
      slice("on", 9_000, 10),
      slice("off", 10_000),
      slice("control", 1),
    ]);
    expect(run.on.median).toBeNull();
    expect(run.control.median).toBeNull();
    expect(run.nanosecondsPerEvent).toBeNull();
    expect(resolvesTarget(run)).toBe(false);
  });

  it("reports met, MISSED, or inconclusive when the noise reaches 3 %", () => {
    const missed = formatTraceCost({
      sliceMilliseconds: 200,
      rounds: 2,
      runs: [summarizeTraceLoad("icount", slices)],
    });
    expect(missed.join("\n")).toMatch(
      /icount +on +48000 +0\.960 \(0\.950-0\.970\) +500000 +80\.0 +>= 0\.97 \(MISSED\)/,
    );
    expect(missed.join("\n")).toMatch(/icount +control +1\.000 \(0\.990-1\.010\) +noise/);
    expect(missed.join("\n")).toMatch(
      /a 3 % cost is 375000 events per guest second \(this load writes 500000\)/,
    );

    const cheap = slices.map((one) => (one.mode === "on" ? { ...one, ops: 9_950 } : one));
    expect(
      formatTraceCost({
        sliceMilliseconds: 200,
        rounds: 2,
        runs: [summarizeTraceLoad("icount", cheap)],
      }).join("\n"),
    ).toMatch(/icount +on .* >= 0\.97 \(met\)/);

    const noisy = slices.map((one, index) => (index === 3 ? { ...one, ops: 9_600 } : one));
    expect(
      formatTraceCost({ sliceMilliseconds: 200, rounds: 2, runs: [summarizeTraceLoad("tsc", noisy)] }).join(
        "\n",
      ),
    ).toMatch(/TSC +on .* >= 0\.97 \(inconclusive: noise over 3 %\)/);
  });
});
