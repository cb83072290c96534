// timeline-state.test.ts - what the timeline page keeps across a window reload
// (src/timeline/common/timeline-state.ts): a whole saved state comes back as it was, a paused zoomed range
// included; anything of another version, damaged or out of the zoom limits gives the first page's state.

import { describe, expect, it } from "vitest";
import { MAX_SPAN_US } from "../../src/timeline/common/time-view";
import {
  INITIAL_TIMELINE_STATE,
  restoreTimelineState,
  TIMELINE_STATE_VERSION,
} from "../../src/timeline/common/timeline-state";

describe("timeline panel state", () => {
  it("brings back a saved range, live and fitted as they were", () => {
    const paused = {
      version: TIMELINE_STATE_VERSION,
      view: { start: 1_000, end: 1_250.5 },
      live: false,
      fitted: false,
    };
    expect(restoreTimelineState(paused)).toEqual(paused);
    const following = {
      version: TIMELINE_STATE_VERSION,
      view: { start: 0, end: 2e6 },
      live: true,
      fitted: false,
    };
    expect(restoreTimelineState(JSON.parse(JSON.stringify(following)))).toEqual(following);
  });

  it("keeps a paused page without a range paused, and fitted", () => {
    expect(
      restoreTimelineState({ version: TIMELINE_STATE_VERSION, view: null, live: false, fitted: false }),
    ).toEqual({ version: TIMELINE_STATE_VERSION, view: null, live: false, fitted: true });
  });

  it("starts afresh from nothing, another version, or a damaged state", () => {
    const good = { version: TIMELINE_STATE_VERSION, view: { start: 0, end: 10 }, live: false, fitted: false };
    for (const saved of [
      undefined,
      null,
      "state",
      { ...good, version: 2 },
      { ...good, live: "no" },
      { ...good, fitted: undefined },
      { ...good, view: { start: 0 } },
      { ...good, view: { start: 5, end: 5 } },
      { ...good, view: { start: 10, end: 0 } },
      { ...good, view: { start: Number.NaN, end: 10 } },
      { ...good, view: { start: 0, end: 2 * MAX_SPAN_US } },
      { ...good, view: "0-10" },
    ])
      expect(restoreTimelineState(saved), JSON.stringify(saved)).toEqual(INITIAL_TIMELINE_STATE);
  });
});
