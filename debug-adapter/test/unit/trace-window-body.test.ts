// trace-window-body.test.ts - the compact toroTraceWindow body (src/session/trace-window-body.ts) from a
// small hand-made two-core window with known times: lanes of parallel arrays sorted by start in microseconds
// of guest time, states, labels and fields through one string table without duplicates, markers, the IPI
// flow, per-core statistics, `lastSeconds` keeping only what overlaps the end of the window, a range, and a
// pixel width merging sub-pixel intervals (a recorded count kept per merged interval), markers and arrows.

import { describe, expect, it } from "vitest";
import { buildTimeline } from "../../src/engine/trace/core-timeline";
import { analyzeTimeline } from "../../src/engine/trace/trace-analysis";
import type { TraceWindow } from "../../src/engine/trace/trace-recorder";
import { TraceEvent, TraceKind, WAKE_REASONS } from "../../src/engine/trace/trace-events";
import { TORO_TRACE_STATES } from "../../src/protocol/trace-protocol";
import { traceWindowBody } from "../../src/session/trace-window-body";

const HZ = 1_000_000_000; // 1 cycle = 1 ns
const names = { threads: new Map([[5, "ponger"]]), locks: new Map([[0, "net"]]) };

function event(core: number, tsc: number, kind: TraceKind, fields: Partial<TraceEvent> = {}): TraceEvent {
  return { core, index: 0, tsc, kind, detail: 0, arg: 0, value: 0, ...fields };
}

function window(): TraceWindow {
  const events = new Map([
    [
      0,
      [
        event(0, 1_000_000, "halt-enter"),
        event(0, 2_000_000, "ipi-sent", { arg: 1 }),
        event(0, 3_000_000, "halt-exit", { detail: WAKE_REASONS.indexOf("timer"), arg: 0xffff }),
      ],
    ],
    [
      1,
      [
        event(1, 1_500_000, "halt-enter"),
        event(1, 2_000_500, "ipi-received", { arg: 0 }),
        event(1, 2_001_000, "halt-exit", { detail: WAKE_REASONS.indexOf("ipi"), arg: 0 }),
        event(1, 2_002_000, "switch-in", { value: 5 }),
        event(1, 2_100_000, "lock-contended", { arg: 0 }),
        event(1, 2_200_000, "lock-acquired", { arg: 0, value: 100_000 }),
        event(1, 2_500_000, "switch-out", { value: 5, detail: 4 }),
        event(1, 2_500_100, "halt-enter"),
      ],
    ],
  ]);
  const timeline = buildTimeline(events);
  const statistics = [0, 1].map((core) => ({
    core,
    written: 10 + core,
    drained: 9 + core,
    overruns: core,
    evicted: 0,
    inWindow: events.get(core)!.length,
  }));
  return {
    timeline,
    tscHz: HZ,
    names,
    statistics,
    analysis: analyzeTimeline(timeline, HZ, names),
    enabledKinds: 0xfffe,
    problem: null,
  };
}

describe("toroTraceWindow body", () => {
  it("gives per-core lanes in microseconds with states, labels and fields from one string table", () => {
    const body = traceWindowBody(window(), 0x4006);
    expect(body).toMatchObject({
      enabledKinds: 0x4006,
      tscHz: HZ,
      startMicroseconds: 1_000,
      endMicroseconds: 3_000,
    });
    expect(new Set(body.strings).size).toBe(body.strings.length);
    const [core0, core1] = body.lanes;
    expect(core0).toMatchObject({
      core: 0,
      start: [1_000],
      end: [3_000],
      written: 10,
      drained: 9,
      overruns: 0,
    });
    expect(body.strings[core0.detail[0]]).toBe("woken by timer");
    const read = (lane: typeof core1) =>
      lane.start.map((start, index) => [
        start,
        lane.end[index],
        TORO_TRACE_STATES[lane.state[index]],
        body.strings[lane.label[index]],
        body.strings[lane.detail[index]],
      ]);
    expect(read(core1)).toEqual([
      [1_500, 2_001, "halted", "halted", "woken by ipi from core 0"],
      [2_002, 2_500, "running", "ponger", "thread id 5"],
      [2_100, 2_200, "lock spin", "spin on net", "lock 0 (net)"],
      [2_500.1, 3_000, "halted", "halted", "not woken yet, still open at the window's end"],
    ]);
    expect(core1.markerTime).toEqual([2_000.5]);
    expect(body.strings[core1.markerKind[0]]).toBe("ipi-received");
    expect(body.strings[core1.markerLabel[0]]).toBe("IPI from core 0");
    expect(body.flows).toEqual({ fromCore: [0], toCore: [1], sent: [2_000], received: [2_000.5] });
    expect(body.analysis.map((core) => core.core)).toEqual([0, 1]);
    expect(body.analysis[1].wakeupsPerSecond.ipi).toBeGreaterThan(0);
  });

  it("keeps only what overlaps the last N seconds with lastSeconds", () => {
    const body = traceWindowBody(window(), 0xfffe, { lastSeconds: 0.0005 }); // the last 500 us: 2500 .. 3000
    expect(body.startMicroseconds).toBe(2_500);
    expect(body.lanes[1].start).toEqual([2_002, 2_500.1]); // the run ending at 2500 still touches it
    expect(body.lanes[1].markerTime).toEqual([]);
    expect(body.flows.sent).toEqual([]);
    expect(body.lanes[0].start).toEqual([1_000]);
  });

  it("keeps only what overlaps a range, every interval when no width is given", () => {
    const body = traceWindowBody(window(), 0xfffe, { startMicroseconds: 2_050, endMicroseconds: 2_150 });
    expect(body.view).toEqual({ startMicroseconds: 2_050, endMicroseconds: 2_150, widthPx: null });
    expect([body.startMicroseconds, body.endMicroseconds]).toEqual([1_000, 3_000]); // the window's own span
    expect(body.lanes[1].start).toEqual([2_002, 2_100]);
    expect(body.lanes[1].merged).toBeUndefined();
    expect(body.lanes[0].start).toEqual([1_000]);
    expect(body.flows.sent).toEqual([]);
  });

  it("merges what is narrower than a pixel column at widthPx, as the timeline draws it", () => {
    // 2 px across 2000 us: on core 1, the halt (1500..2001) and the open halt (2500.1..3000) are a pixel
    // wide and separate; the run and the spin inside it each fill their own layer.
    const wide = traceWindowBody(window(), 0xfffe, { widthPx: 2000 });
    expect(wide.view).toEqual({ startMicroseconds: 1_000, endMicroseconds: 3_000, widthPx: 2000 });
    expect(wide.lanes[1].merged).toEqual([1, 1, 1, 1]);
    expect(wide.lanes[1].markerCount).toEqual([1]);
    expect(wide.flows.sent).toEqual([2_000]);
    // 1 px for the whole window: both halts of core 1 (one layer) become one interval of 2 recorded ones,
    // from the first start to the last end, with the first's fields and a note.
    const narrow = traceWindowBody(window(), 0xfffe, { widthPx: 1 });
    const lane = narrow.lanes[1];
    const halted = lane.state
      .map((state, index) => [
        TORO_TRACE_STATES[state],
        lane.start[index],
        lane.end[index],
        lane.merged![index],
      ])
      .filter(([state]) => state === "halted");
    expect(halted).toEqual([["halted", 1_500, 3_000, 2]]);
    const index = lane.state.indexOf(TORO_TRACE_STATES.indexOf("halted"));
    expect(narrow.strings[lane.detail[index]]).toBe(
      "woken by ipi from core 0; 2 intervals merged (zoom in to see each)",
    );
    expect(lane.merged!.reduce((sum, count) => sum + count, 0)).toBe(4); // every recorded interval counted
    for (let position = 1; position < lane.start.length; position++)
      expect(lane.start[position]).toBeGreaterThanOrEqual(lane.start[position - 1]);
  });
});
