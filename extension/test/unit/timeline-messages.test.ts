// timeline-messages.test.ts - the timeline page's messages to the host (src/timeline/common/
// timeline-messages.ts) are checked before use: only the four known shapes pass, a view's request with
// numeric window arguments only.

import { describe, expect, it } from "vitest";
import { isTimelineClientMessage } from "../../src/timeline/common/timeline-messages";

describe("timeline client messages", () => {
  it("accepts ready, live and traceKinds with the right fields, and nothing else", () => {
    expect(isTimelineClientMessage({ type: "ready" })).toBe(true);
    expect(isTimelineClientMessage({ type: "live", live: false })).toBe(true);
    expect(isTimelineClientMessage({ type: "traceKinds", kinds: "sched,halt" })).toBe(true);
    expect(isTimelineClientMessage({ type: "live", live: "yes" })).toBe(false);
    expect(isTimelineClientMessage({ type: "traceKinds" })).toBe(false);
    expect(isTimelineClientMessage({ type: "export" })).toBe(false);
    expect(isTimelineClientMessage(null)).toBe(false);
    expect(isTimelineClientMessage("ready")).toBe(false);
    expect(isTimelineClientMessage({ type: "view", request: { widthPx: 800 } })).toBe(true);
    expect(
      isTimelineClientMessage({
        type: "view",
        request: { startMicroseconds: 1, endMicroseconds: 2, widthPx: 3, lastSeconds: 4 },
      }),
    ).toBe(true);
    expect(isTimelineClientMessage({ type: "view", request: { widthPx: "800" } })).toBe(false);
    expect(isTimelineClientMessage({ type: "view", request: { widthPx: Number.NaN } })).toBe(false);
    expect(isTimelineClientMessage({ type: "view", request: { path: "/etc" } })).toBe(false);
    expect(isTimelineClientMessage({ type: "view" })).toBe(false);
  });
});
