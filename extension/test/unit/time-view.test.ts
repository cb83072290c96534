// time-view.test.ts - the timeline's zoom and pan math (src/timeline/common/time-view.ts): the time under
// the pointer stays put while zooming, the span stays between a microsecond and a minute, drags move the
// view by pixels, live follows the end, ruler steps are 1/2/5 x 10^n, durations read naturally.

import { describe, expect, it } from "vitest";
import {
  fitWindow,
  followEnd,
  formatMicroseconds,
  MAX_SPAN_US,
  MIN_SPAN_US,
  panBy,
  tickStep,
  timeToX,
  wheelFactor,
  xToTime,
  zoomAt,
} from "../../src/timeline/common/time-view";

describe("time view", () => {
  const view = { start: 1_000, end: 2_000 };

  it("maps times to pixels and back", () => {
    expect(timeToX(view, 500, 1_500)).toBe(250);
    expect(xToTime(view, 500, 250)).toBe(1_500);
    expect(timeToX(view, 500, 900)).toBe(-50);
  });

  it("zooms around the pointer, keeping the time under it in place", () => {
    const zoomed = zoomAt(view, 500, 100, 0.5);
    expect(zoomed.end - zoomed.start).toBe(500);
    expect(xToTime(zoomed, 500, 100)).toBeCloseTo(xToTime(view, 500, 100), 9);
    const out = zoomAt(view, 500, 400, 3);
    expect(out.end - out.start).toBe(3_000);
    expect(xToTime(out, 500, 400)).toBeCloseTo(1_800, 9);
  });

  it("zooms from seconds down to a microsecond and no further, and out to a minute at most", () => {
    let zoomed = { start: 0, end: 10e6 };
    for (let notch = 0; notch < 200; notch++) zoomed = zoomAt(zoomed, 800, 400, wheelFactor(-100));
    expect(zoomed.end - zoomed.start).toBe(MIN_SPAN_US);
    for (let notch = 0; notch < 200; notch++) zoomed = zoomAt(zoomed, 800, 400, wheelFactor(100));
    expect(zoomed.end - zoomed.start).toBe(MAX_SPAN_US);
    expect(wheelFactor(100)).toBe(1.25);
    expect(wheelFactor(-100)).toBeCloseTo(0.8, 12);
  });

  it("pans by pixels: dragging right shows earlier times", () => {
    expect(panBy(view, 500, 50)).toEqual({ start: 900, end: 1_900 });
    expect(panBy(view, 500, -250)).toEqual({ start: 1_500, end: 2_500 });
  });

  it("follows the newest time with the same span while live, and fits a first window", () => {
    expect(followEnd(view, 5_000)).toEqual({ start: 4_000, end: 5_000 });
    expect(fitWindow(10, 10)).toEqual({ start: 10 - MIN_SPAN_US, end: 10 });
    expect(fitWindow(0, 120e6)).toEqual({ start: 120e6 - MAX_SPAN_US, end: 120e6 });
  });

  it("chooses ruler steps of 1, 2 or 5 x 10^n at least the minimum apart", () => {
    expect(tickStep({ start: 0, end: 1e6 }, 1000, 80)).toBe(100_000);
    expect(tickStep({ start: 0, end: 1e6 }, 1000, 120)).toBe(200_000);
    expect(tickStep({ start: 0, end: 10 }, 1000, 80)).toBe(1);
    expect(tickStep({ start: 0, end: 3 }, 1000, 80)).toBe(0.5);
  });

  it("formats durations in s, ms and us", () => {
    expect(formatMicroseconds(1_500_000)).toBe("1.5 s");
    expect(formatMicroseconds(12_250)).toBe("12.25 ms");
    expect(formatMicroseconds(800)).toBe("800 us");
    expect(formatMicroseconds(0.25)).toBe("0.25 us");
  });
});
