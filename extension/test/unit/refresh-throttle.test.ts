// refresh-throttle.test.ts - tree views redraw at most once per interval and always end on the newest data
// (src/views/refresh-throttle.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RefreshThrottle } from "../../src/views/refresh-throttle";

describe("RefreshThrottle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs the first request at once and folds the following ones into one run per interval", () => {
    let runs = 0;
    const throttle = new RefreshThrottle(
      250,
      () => runs++,
      () => Date.now(),
    );
    throttle.request();
    expect(runs).toBe(1);
    for (let event = 0; event < 10; event++) {
      vi.advanceTimersByTime(20);
      throttle.request();
    }
    expect(runs).toBe(1);
    vi.advanceTimersByTime(100);
    expect(runs).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(2);
  });

  it("at 50 requests a second runs about 4 times a second", () => {
    let runs = 0;
    const throttle = new RefreshThrottle(
      250,
      () => runs++,
      () => Date.now(),
    );
    for (let event = 0; event < 50; event++) {
      throttle.request();
      vi.advanceTimersByTime(20);
    }
    expect(runs).toBeGreaterThanOrEqual(4);
    expect(runs).toBeLessThanOrEqual(5);
  });

  it("flush runs a pending request now; dispose drops it", () => {
    let runs = 0;
    const throttle = new RefreshThrottle(
      250,
      () => runs++,
      () => Date.now(),
    );
    throttle.request();
    throttle.request();
    throttle.flush();
    expect(runs).toBe(2);
    throttle.request();
    throttle.dispose();
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(2);
  });

  it("requestNow runs at once inside the interval, and a request waiting behind it does not run twice", () => {
    let runs = 0;
    const throttle = new RefreshThrottle(
      250,
      () => runs++,
      () => Date.now(),
    );
    throttle.request();
    vi.advanceTimersByTime(50);
    throttle.request(); // waits for the interval
    expect(runs).toBe(1);
    throttle.requestNow();
    expect(runs).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(2);
    throttle.request(); // the interval counts from the requestNow run: past it, so at once
    expect(runs).toBe(3);
  });
});
