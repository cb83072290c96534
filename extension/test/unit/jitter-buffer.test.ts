// jitter-buffer.test.ts - monitor points arriving in bursts are released one animation frame at a time
// (src/monitor/common/jitter-buffer.ts), whatever the offset between the two clocks.
import { describe, expect, it } from "vitest";
import { JitterBuffer } from "../../src/monitor/common/jitter-buffer";

const point = (milliseconds: number) => ({ timeSeconds: milliseconds / 1000 });

describe("JitterBuffer", () => {
  it("spreads a burst of three 50 Hz points over the frames that follow, in order", () => {
    const clockOffsetMs = 3_600_000; // the browser's clock is an hour ahead of the host's
    const buffer = new JitterBuffer<{ timeSeconds: number }>(100);
    // The points were made at 0, 20 and 40 ms (host clock) and all arrive at once, 45 ms later.
    for (const made of [0, 20, 40]) buffer.push(point(made), clockOffsetMs + 45);
    const releasedPerFrame: number[] = [];
    for (let frame = 0; frame < 12; frame++)
      releasedPerFrame.push(buffer.release(clockOffsetMs + 45 + frame * 16.7).length);
    // The smallest lag is 5 ms (the 40 ms point): releases at 105, 125 and 145 ms after the burst's start.
    expect(releasedPerFrame.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(Math.max(...releasedPerFrame)).toBe(1);
    expect(buffer.size).toBe(0);
  });

  it("holds no point longer than its delay after arrival, even one that arrived late", () => {
    const buffer = new JitterBuffer<{ timeSeconds: number }>(100);
    buffer.push(point(1000), 1010); // lag 10 ms
    expect(buffer.release(1109)).toHaveLength(0);
    expect(buffer.release(1110)).toHaveLength(1);
    buffer.push(point(1020), 1500); // lag 480 ms: the connection stalled
    expect(buffer.release(1500)).toHaveLength(1); // due since 1130: shown on the next frame
  });

  it("releases in arrival order and drains what is left", () => {
    const buffer = new JitterBuffer<{ timeSeconds: number; name: string }>(50);
    buffer.push({ timeSeconds: 1, name: "first" }, 1000);
    buffer.push({ timeSeconds: 1.02, name: "second" }, 1020);
    expect(buffer.release(1060).map((item) => item.name)).toEqual(["first"]);
    expect(buffer.drain().map((item) => item.name)).toEqual(["second"]);
    expect(buffer.release(5000)).toEqual([]);
  });
});
