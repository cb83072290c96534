// window-request.test.ts - the toroTraceWindow request the timeline page sends for what it shows
// (src/timeline/common/window-request.ts): the whole window at the plot's width while fitted, the last span
// while following live, and while paused the range with a span each side at three times the width.

import { describe, expect, it } from "vitest";
import { windowRequest } from "../../src/timeline/common/window-request";

describe("timeline window request", () => {
  it("asks for the whole window at the plot's width before the first window and while fitted", () => {
    expect(windowRequest(null, true, false, 1234.4)).toEqual({ widthPx: 1234 });
    expect(windowRequest({ start: 0, end: 5e6 }, false, true, 800)).toEqual({ widthPx: 800 });
    expect(windowRequest(null, true, true, 0)).toEqual({ widthPx: 1 });
  });

  it("asks for the last span while following live, and for the range and its margins while paused", () => {
    expect(windowRequest({ start: 1e6, end: 1.5e6 }, true, false, 1000)).toEqual({
      lastSeconds: 0.5,
      widthPx: 1000,
    });
    expect(windowRequest({ start: 1_000, end: 1_100 }, false, false, 1000)).toEqual({
      startMicroseconds: 900,
      endMicroseconds: 1_200,
      widthPx: 3000,
    });
  });
});
