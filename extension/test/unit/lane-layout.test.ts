// lane-layout.test.ts - what the timeline draws of a lane (src/timeline/common/lane-layout.ts): layers that
// do not overlap, culling to the visible range (including an interval that began long before it), sub-pixel
// intervals merged into one rectangle of the dominant state, 10^5 intervals drawn as at most a few
// rectangles per pixel, markers merged per pixel and kind, and clicks finding the topmost interval.

import { describe, expect, it } from "vitest";
import { TORO_TRACE_STATES, type ToroTraceLane } from "@toro-studio/debug-adapter/protocol";
import {
  indexLane,
  intervalAt,
  laneCounts,
  layerOfState,
  lowerBound,
  visibleMarkers,
  visibleRects,
} from "../../src/timeline/common/lane-layout";

const RUNNING = TORO_TRACE_STATES.indexOf("running");
const HALTED = TORO_TRACE_STATES.indexOf("halted");
const LOCK = TORO_TRACE_STATES.indexOf("lock spin");

function lane(intervals: [number, number, number][], markers: [number, number][] = []): ToroTraceLane {
  return {
    core: 0,
    start: intervals.map(([start]) => start),
    end: intervals.map(([, end]) => end),
    state: intervals.map(([, , state]) => state),
    label: intervals.map(() => 0),
    detail: intervals.map(() => 0),
    markerTime: markers.map(([time]) => time),
    markerKind: markers.map(([, kind]) => kind),
    markerLabel: markers.map(() => 0),
    written: 0,
    drained: 0,
    overruns: 0,
    evicted: 0,
  };
}

describe("lane layout", () => {
  it("puts threads, halts and lock spins in their own layers", () => {
    expect(
      ["running", "polling", "halted", "halted (polling)", "lock spin"].map((name) =>
        layerOfState(TORO_TRACE_STATES.indexOf(name as never)),
      ),
    ).toEqual(["thread", "thread", "halt", "halt", "lock"]);
    const indexed = indexLane(
      lane([
        [0, 10, RUNNING],
        [2, 4, LOCK],
        [10, 20, HALTED],
        [20, 30, RUNNING],
      ]),
    );
    expect(indexed.layers.map((layer) => Array.from(layer.indices))).toEqual([[0, 3], [2], [1]]);
  });

  it("finds the first visible interval by binary search, even behind a long one that began earlier", () => {
    expect(lowerBound([1, 3, 3, 7], 3)).toBe(1);
    expect(lowerBound([1, 3, 3, 7], 8)).toBe(4);
    // A halt clipped to the window's start (its enter event was not traced) spans everything after it.
    const data = lane([
      [0, 1000, HALTED],
      [10, 20, HALTED],
      [30, 40, HALTED],
      [900, 950, HALTED],
    ]);
    const halt = indexLane(data).layers[1];
    const rects = visibleRects(halt, data, { start: 500, end: 600 }, 100);
    expect(rects).toHaveLength(1);
    expect(rects[0]).toMatchObject({ x0: 0, x1: 100, index: 0 });
  });

  it("culls to the view and draws wide intervals one rectangle each", () => {
    const data = lane([
      [0, 100, RUNNING],
      [100, 200, RUNNING],
      [200, 300, RUNNING],
      [300, 400, RUNNING],
    ]);
    const rects = visibleRects(indexLane(data).layers[0], data, { start: 150, end: 250 }, 100);
    expect(rects.map((rect) => [rect.x0, rect.x1, rect.index])).toEqual([
      [0, 50, 1],
      [50, 100, 2],
    ]);
  });

  it("merges sub-pixel intervals into one rectangle coloured by the state that filled most of it", () => {
    // 1000 intervals of 0.1 us alternating 0.07 us running / 0.03 us polling, on 10 px for 100 us.
    const intervals: [number, number, number][] = [];
    for (let index = 0; index < 1000; index++) {
      intervals.push([index * 0.1, index * 0.1 + 0.07, RUNNING]);
      intervals.push([index * 0.1 + 0.07, index * 0.1 + 0.1, TORO_TRACE_STATES.indexOf("polling")]);
    }
    const data = lane(intervals);
    const rects = visibleRects(indexLane(data).layers[0], data, { start: 0, end: 100 }, 10);
    expect(rects).toHaveLength(1);
    expect(rects[0]).toMatchObject({ x0: 0, state: RUNNING, count: 2000 });
    expect(rects[0].x1).toBeCloseTo(10, 9);
  });

  it("draws 10^5 intervals in view as at most a few rectangles per pixel column", () => {
    const intervals: [number, number, number][] = [];
    for (let index = 0; index < 100_000; index++) intervals.push([index * 10, index * 10 + 6, HALTED]);
    const data = lane(intervals);
    const halt = indexLane(data).layers[1];
    const rects = visibleRects(halt, data, { start: 0, end: 1e6 }, 1000);
    expect(rects.length).toBeLessThanOrEqual(1000);
    expect(rects.reduce((total, rect) => total + rect.count, 0)).toBe(100_000);
    // Zoomed in to 100 us: ten intervals, each drawn alone.
    const close = visibleRects(halt, data, { start: 500_000, end: 500_099 }, 1000);
    expect(close.map((rect) => rect.count)).toEqual(new Array(10).fill(1));
  });

  it("merges markers of one kind in one pixel column, keeps other kinds apart", () => {
    const data = lane(
      [],
      [
        [1, 0],
        [1.2, 0],
        [1.4, 1],
        [5, 0],
        [200, 0],
      ],
    );
    const marks = visibleMarkers(data, { start: 0, end: 10 }, 10);
    expect(marks).toEqual([
      { x: 1, index: 0, count: 2 },
      { x: 1, index: 2, count: 1 },
      { x: 5, index: 3, count: 1 },
    ]);
  });

  it("finds the topmost interval under a click, and a thin one within a tolerance", () => {
    const indexed = indexLane(
      lane([
        [0, 100, RUNNING],
        [40, 60, LOCK],
        [100, 100.01, HALTED],
      ]),
    );
    const view = { start: 0, end: 200 };
    expect(intervalAt(indexed, view, 200, 50)).toBe(1); // the spin, drawn over the run
    expect(intervalAt(indexed, view, 200, 10)).toBe(0);
    expect(intervalAt(indexed, view, 200, 101)).toBe(2); // 0.01 us wide, 1 px away
    expect(intervalAt(indexed, view, 200, 150)).toBe(-1);
  });

  it("counts intervals and halted intervals for the page's data attributes", () => {
    expect(
      laneCounts(
        lane([
          [0, 1, RUNNING],
          [1, 2, HALTED],
          [2, 3, HALTED],
        ]),
      ),
    ).toEqual({
      intervals: 3,
      halted: 2,
    });
  });
});
