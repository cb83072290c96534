// trace-drain.test.ts - the host side of the event trace protocol (src/engine/trace/trace-drain.ts) against
// a synthetic guest RAM written the kernel's way (helpers/synthetic-trace.ts): order, ring wrap, overrun
// accounting when the reader falls behind and when the writer overwrites slots during the copy, the
// bounded window, and a kernel without the trace section.

import { describe, expect, it } from "vitest";
import { traceKindsFor } from "../../src/engine/trace/trace-control";
import { TraceDrain } from "../../src/engine/trace/trace-drain";
import { BLOCK_ADDRESS, SyntheticTraceRam } from "../helpers/synthetic-trace";

describe("TraceDrain", () => {
  it("drains each core's events in order across ring wraps, with no overrun when it keeps up", () => {
    const ram = new SyntheticTraceRam(2, 8);
    const drain = new TraceDrain(ram.read, BLOCK_ADDRESS);
    for (let round = 0; round < 5; round++) {
      ram.writeMarks(0, 5);
      ram.writeMarks(1, 3);
      expect(drain.drain()).toEqual({ added: 8, problem: null });
    }
    expect(drain.events(0).map((event) => event.value)).toEqual([...Array(25).keys()]);
    expect(drain.events(1).map((event) => event.index)).toEqual([...Array(15).keys()]);
    expect(drain.events(0).every((event) => event.kind === "mark" && event.core === 0)).toBe(true);
    expect(
      drain
        .statistics()
        .map(({ core, written, drained, overruns }) => ({ core, written, drained, overruns })),
    ).toEqual([
      { core: 0, written: 25, drained: 25, overruns: 0 },
      { core: 1, written: 15, drained: 15, overruns: 0 },
    ]);
  });

  it("counts every event overwritten before it was read as an overrun of its core", () => {
    const ram = new SyntheticTraceRam(2, 8);
    const drain = new TraceDrain(ram.read, BLOCK_ADDRESS);
    ram.writeMarks(0, 8 + 37);
    ram.writeMarks(1, 4);
    drain.drain();
    // The slot the writer fills next is never read: 7 of the newest 8 come back, 38 are counted lost.
    expect(drain.events(0).map((event) => event.value)).toEqual([38, 39, 40, 41, 42, 43, 44]);
    expect(drain.statistics()[0]).toMatchObject({ written: 45, drained: 7, overruns: 38 });
    expect(drain.statistics()[1]).toMatchObject({ written: 4, drained: 4, overruns: 0 });
    ram.writeMarks(0, 5);
    drain.drain();
    expect(
      drain
        .events(0)
        .slice(-5)
        .map((event) => event.value),
    ).toEqual([45, 46, 47, 48, 49]);
    expect(drain.statistics()[0].overruns).toBe(38);
  });

  it("drops and counts slots the writer overwrote during the copy, and never returns a torn event", () => {
    const ram = new SyntheticTraceRam(1, 8);
    ram.writeMarks(0, 6);
    let raced = false;
    // The guest keeps writing while the host copies the ring: 4 events land between the copy and the re-read.
    const drain = new TraceDrain((address, length) => {
      const bytes = ram.read(address, length);
      if (!raced && address === ram.ringAddress(0) && length > 16) {
        raced = true;
        ram.writeMarks(0, 4);
      }
      return bytes;
    }, BLOCK_ADDRESS);
    drain.drain();
    // Copied events 0..5 (head 6); head is 10 after: events <= 10 - 8 = 2 may be overwritten.
    expect(drain.events(0).map((event) => event.value)).toEqual([3, 4, 5]);
    expect(drain.statistics()[0]).toMatchObject({ overruns: 3, drained: 3 });
    drain.drain();
    expect(drain.events(0).map((event) => event.value)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(drain.statistics()[0]).toMatchObject({ overruns: 3, drained: 7, written: 10 });
    for (const event of drain.events(0)) expect(event.tsc).toBe(1000 + event.value);
  });

  it("keeps a bounded window and counts what it evicted apart from overruns", () => {
    const ram = new SyntheticTraceRam(1, 4096);
    const drain = new TraceDrain(ram.read, BLOCK_ADDRESS, 1000);
    ram.writeMarks(0, 3000);
    drain.drain();
    expect(drain.events(0)).toHaveLength(1000);
    expect(drain.events(0)[0].value).toBe(2000);
    expect(drain.statistics()[0]).toMatchObject({
      drained: 3000,
      evicted: 2000,
      overruns: 0,
      inWindow: 1000,
    });
  });

  it("says why when the kernel has no trace section (an older v2 kernel: trace_offset is 0)", () => {
    const ram = new SyntheticTraceRam(1, 8, { withSection: false });
    const result = new TraceDrain(ram.read, BLOCK_ADDRESS).drain();
    expect(result.added).toBe(0);
    expect(result.problem).toMatch(/no event trace/);
  });
});

describe("traceKindsFor", () => {
  it("gives the enabled_kinds word the kernel's trace= gives (0xfffe for on, groups plus panic)", () => {
    expect(traceKindsFor("on")).toBe(0xfffe);
    expect(traceKindsFor("off")).toBe(0);
    expect(traceKindsFor("sched")).toBe(0x4006); // what the kernel printed for trace=sched
    expect(traceKindsFor("halt,ipi")).toBe((1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 14));
    expect(() => traceKindsFor("sched,bogus")).toThrow(
      /unknown group "bogus", expected on, off or a comma list of sched/,
    );
  });
});
