// trace-timeline.test.ts - from trace events to what a person reads: intervals and IPI flows
// (src/engine/trace/core-timeline.ts), the Chrome JSON trace for ui.perfetto.dev (chrome-trace.ts, checked
// against the rules of Perfetto's JSON importer: test/helpers/perfetto-json-check.ts, which is itself shown
// to catch each broken rule) and the per-core answers (trace-analysis.ts), on a small hand-made two-core
// scenario with known times.

import { describe, expect, it } from "vitest";
import { buildTimeline } from "../../src/engine/trace/core-timeline";
import { chromeTrace, coreTrack } from "../../src/engine/trace/chrome-trace";
import { analyzeTimeline } from "../../src/engine/trace/trace-analysis";
import { TRACE_KINDS, TraceEvent, TraceKind, WAKE_REASONS } from "../../src/engine/trace/trace-events";
import { perfettoJsonProblems } from "../helpers/perfetto-json-check";

const HZ = 1_000_000_000; // 1 cycle = 1 ns: times below read as nanoseconds
const names = {
  threads: new Map([
    [3, "pinger"],
    [5, "ponger"],
  ]),
  locks: new Map([[0, "net"]]),
};

function event(core: number, tsc: number, kind: TraceKind, fields: Partial<TraceEvent> = {}): TraceEvent {
  return { core, index: 0, tsc, kind, detail: 0, arg: 0, value: 0, ...fields };
}
const wake = (reason: (typeof WAKE_REASONS)[number]) => WAKE_REASONS.indexOf(reason);

/** Core 0 runs "pinger" and wakes core 1 by IPI; core 1 halts, wakes, runs "ponger" which spins on "net". */
function scenario(): Map<number, TraceEvent[]> {
  return new Map([
    [
      0,
      [
        event(0, 0, "switch-in", { value: 3 }),
        event(0, 400_000, "ipi-sent", { arg: 1 }),
        event(0, 500_000, "switch-out", { value: 3, detail: 4 }),
        event(0, 500_100, "halt-enter"),
        event(0, 1_000_000, "halt-exit", { detail: wake("timer"), arg: 0xffff, value: 1 }),
      ],
    ],
    [
      1,
      [
        event(1, 100_000, "timer-armed", { value: 5_000 }),
        event(1, 100_000, "halt-enter"),
        event(1, 400_050, "ipi-received", { arg: 0 }),
        event(1, 400_100, "halt-exit", { detail: wake("ipi"), arg: 0, value: 1 }),
        event(1, 400_200, "switch-in", { value: 5 }),
        event(1, 450_000, "lock-contended", { arg: 0 }),
        event(1, 470_000, "lock-acquired", { arg: 0, value: 20_000 }),
        event(1, 600_000, "switch-out", { value: 5, detail: 4 }),
        event(1, 600_010, "halt-enter"),
      ],
    ],
  ]);
}

describe("core timeline", () => {
  it("pairs opens and closes per core, clips what is open at the window's end, and links the IPI", () => {
    const timeline = buildTimeline(scenario());
    expect(timeline).toMatchObject({ startTsc: 0, endTsc: 1_000_000, cores: [0, 1] });
    const core1 = timeline.intervals.filter((interval) => interval.core === 1);
    expect(core1.map((interval) => [interval.kind, interval.startTsc, interval.endTsc])).toEqual([
      ["halt", 100_000, 400_100],
      ["thread", 400_200, 600_000],
      ["lock-spin", 450_000, 470_000],
      ["halt", 600_010, 1_000_000],
    ]);
    expect(core1[0]).toMatchObject({ wakeReason: "ipi", wakeSource: 0, openEnd: false });
    expect(core1[3]).toMatchObject({ openEnd: true, wakeReason: null });
    expect(timeline.flows).toEqual([
      { id: 1, fromCore: 0, toCore: 1, sentTsc: 400_000, receivedTsc: 400_050 },
    ]);
    expect(TRACE_KINDS.length).toBe(16);
  });
});

describe("Chrome JSON trace", () => {
  it("has one named track per core, slices, instants and a flow from the IPI's sender to the woken core", () => {
    const timeline = buildTimeline(scenario());
    const file = JSON.parse(
      JSON.stringify(
        chromeTrace(timeline, HZ, names, [
          { core: 1, written: 9, drained: 9, overruns: 2, evicted: 0, inWindow: 9 },
        ]),
      ),
    ) as ReturnType<typeof chromeTrace>;
    const events = file.traceEvents;
    const trackNames = events
      .filter((item) => item.name === "thread_name")
      .map((item) => [item.tid, item.args?.name]);
    expect(trackNames).toEqual([
      [coreTrack(0), "core 0"],
      [coreTrack(1), "core 1"],
    ]);
    const slices = events.filter((item) => item.ph === "X");
    const round = (value: number | undefined) => Math.round((value ?? NaN) * 1000) / 1000;
    expect(slices.map((item) => [item.tid, item.name, round(item.ts), round(item.dur)])).toEqual([
      [coreTrack(0), "pinger", 0, 500],
      [coreTrack(0), "halted", 500.1, 499.9],
      [coreTrack(1), "halted", 100, 300.1],
      [coreTrack(1), "ponger", 400.2, 199.8],
      [coreTrack(1), "spin on net", 450, 20],
      [coreTrack(1), "halted", 600.01, 399.99],
    ]);
    expect(slices[2].args).toMatchObject({ wakeReason: "ipi", fromCore: 0 });
    const flow = events.filter((item) => item.ph === "s" || item.ph === "f");
    expect(flow.map((item) => [item.ph, item.tid, item.id])).toEqual([
      ["s", coreTrack(0), 1],
      ["f", coreTrack(1), 1],
    ]);
    expect(events.filter((item) => item.ph === "i").map((item) => item.name)).toEqual([
      "IPI to core 1",
      "timer armed +5000 us",
      "IPI from core 0",
    ]);
    expect(file.otherData.cores).toEqual([{ core: 1, written: 9, drained: 9, overruns: 2, evicted: 0 }]);
    expect(events.some((item) => item.ph === "C" && item.name === "overruns core 1")).toBe(true);
    expect(perfettoJsonProblems(file)).toEqual([]);
  });

  it("the Perfetto check catches each broken rule of the importer", () => {
    const good = JSON.parse(JSON.stringify(chromeTrace(buildTimeline(scenario()), HZ, names))) as {
      traceEvents: Record<string, unknown>[];
      [key: string]: unknown;
    };
    expect(perfettoJsonProblems(good)).toEqual([]);
    const broken = (change: (file: typeof good) => void) => {
      const copy = JSON.parse(JSON.stringify(good)) as typeof good;
      change(copy);
      return perfettoJsonProblems(copy).join("\n");
    };
    const slice = (file: typeof good, name: string) => file.traceEvents.find((item) => item.name === name)!;
    const flowEnd = (file: typeof good) => file.traceEvents.find((item) => item.ph === "f")!;
    expect(broken((file) => (file.displayTimeUnit = "ns"))).toMatch(/"displayTimeUnit" is set/);
    expect(perfettoJsonProblems({ metrics: {}, ...good })).toEqual([
      'the first key is "metrics", not "traceEvents"',
      'top-level key "metrics" is unknown to the importer, which stops reading there',
    ]);
    expect(broken((file) => delete slice(file, "pinger").dur)).toMatch(/no numeric "dur"/);
    expect(broken((file) => delete slice(file, "pinger").ts)).toMatch(/no numeric "ts" >= 0/);
    expect(broken((file) => (slice(file, "pinger").tid = -1))).toMatch(/"tid" is not a 32-bit/);
    expect(broken((file) => (slice(file, "pinger").ph = "Q"))).toMatch(/phase not handled/);
    expect(broken((file) => (flowEnd(file).id = 7))).toMatch(/1 start\(s\) and 0 end\(s\)/);
    expect(broken((file) => delete flowEnd(file).bp)).toMatch(/flow end without "bp": "e"/);
    // The receiving core's halt shortened so that it no longer encloses the IPI's arrival: still bound to
    // the "IPI from core 0" instant at the same time, unless that instant is gone too.
    const shortenHalt = (file: typeof good) => {
      file.traceEvents.find((item) => item.name === "halted" && item.tid === coreTrack(1))!.dur = 1;
    };
    expect(broken(shortenHalt)).toBe("");
    expect(
      broken((file) => {
        shortenHalt(file);
        file.traceEvents = file.traceEvents.filter((item) => item.name !== "IPI from core 0");
      }),
    ).toMatch(/no slice of its track encloses it and no instant of its track is at its time/);
    // The lock spin made to outlast the run it happened in.
    expect(broken((file) => (slice(file, "spin on net").dur = 500))).toMatch(
      /starts inside one that ends at/,
    );
  });
});

describe("trace analysis", () => {
  it("measures halt residency, halt lengths, wake-ups by reason and where the non-halted time went", () => {
    const [core0, core1] = analyzeTimeline(buildTimeline(scenario()), HZ, names);
    expect(core1.windowSeconds).toBeCloseTo(0.001, 9);
    // Halted 300.1 us + 399.99 us of 1000 us.
    expect(core1.haltResidency).toBeCloseTo(0.70009, 5);
    expect(core1.halts).toBe(2);
    // Only closed halts are binned: one of 300.1 us.
    expect(core1.haltLengths.map((bucket) => [bucket.label, bucket.count])).toEqual([
      ["< 10 us", 0],
      ["10 us - 100 us", 0],
      ["100 us - 1 ms", 1],
      ["1 ms - 10 ms", 0],
      ["10 ms - 100 ms", 0],
      ["100 ms - 1 s", 0],
      [">= 1 s", 0],
    ]);
    expect(core1.wakeupsPerSecond.ipi).toBeCloseTo(1000, 6);
    expect(core1.wakeupsPerSecond.timer).toBe(0);
    expect(core1.ipiWakeupsPerSecondFrom).toEqual({ "core 0": expect.closeTo(1000, 6) });
    expect(core1.notHalted.map((reason) => reason.reason)).toEqual([
      "running ponger",
      "kernel, no thread (scheduler, interrupts, idle spin)",
      "spinning on lock net",
    ]);
    expect(core1.notHalted[0].seconds).toBeCloseTo((199.8 - 20) / 1e6, 9);
    expect(core1.notHalted[2].seconds).toBeCloseTo(20 / 1e6, 9);
    expect(core0.wakeupsPerSecond.timer).toBeCloseTo(1000, 6);
    expect(core0.notHalted[0]).toMatchObject({ reason: "running pinger", share: expect.closeTo(0.5, 6) });
  });

  it("counts a core with no event as halted throughout when telemetry says it is halted", () => {
    const events = scenario();
    events.set(2, []);
    const analysis = analyzeTimeline(buildTimeline(events), HZ, names, new Set([2]));
    expect(analysis[2]).toMatchObject({ core: 2, haltResidency: 1, halts: 0, notHalted: [] });
  });
});
