// breakpoints.test.ts - breakpoints and watchpoints of the GDB layer against real GDB and QEMU (1 vCPU):
// write/read/access watchpoints on the counter, conditions, ignore (hit) counts, hardware, temporary and
// address breakpoints, enable/disable, listing with hit counts and the breakpointModified event.
// Shared setup in support/session.ts; every test deletes what it inserts.

import { describe, expect, it } from "vitest";

import {
  continueExecution,
  deleteBreakpoints,
  disableBreakpoints,
  enableBreakpoints,
  evaluateExpression,
  insertBreakpoint,
  insertWatchpoint,
  listBreakpoints,
  setBreakpointCondition,
  setBreakpointIgnoreCount,
  type BreakpointRecord,
} from "../../src/gdb";
import { tagLine } from "./support/fixture";
import { useSharedSession } from "./support/session";

const session = useSharedSession(1, {
  // Every test deletes what it inserts; a failed one may not have.
  afterEachTest: async ({ gdb }) => {
    const left = await listBreakpoints(gdb);
    await deleteBreakpoints(
      gdb,
      left.map((breakpoint) => breakpoint.number),
    );
  },
});

const resume = () => session.gdb.untilStopped(() => continueExecution(session.gdb));

async function counter(): Promise<bigint> {
  return BigInt(await evaluateExpression(session.gdb, "counter"));
}

describe("breakpoints and watchpoints", () => {
  it("stops on a write to the counter with its old and new values", async () => {
    const watchpoint = await insertWatchpoint(session.gdb, "counter");
    expect(watchpoint).toMatchObject({ expression: "counter", access: "write", hardware: true });
    for (let round = 0; round < 3; round += 1) {
      const stop = await resume();
      expect(stop.reason).toBe("watchpoint-trigger");
      expect(stop.watchpoint?.number).toBe(watchpoint.number);
      expect(stop.watchpoint?.expression).toBe("counter");
      expect(BigInt(stop.watchpoint?.newValue ?? "-1")).toBe(BigInt(stop.watchpoint?.oldValue ?? "-3") + 1n);
      expect(stop.frame?.functionName).toBe("tick");
      expect(BigInt(stop.watchpoint?.newValue ?? "-1")).toBe(await counter());
    }
  });

  it("stops on reads and on any access", async () => {
    const read = await insertWatchpoint(session.gdb, "counter", "read");
    const readStop = await resume();
    expect(readStop.reason).toBe("read-watchpoint-trigger");
    expect(readStop.watchpoint?.number).toBe(read.number);
    expect(readStop.watchpoint?.value).toBe(String(await counter()));
    await deleteBreakpoints(session.gdb, [read.number]);

    const access = await insertWatchpoint(session.gdb, "point.x", "access");
    const accessStop = await resume();
    expect(accessStop.reason).toBe("access-watchpoint-trigger");
    expect(accessStop.watchpoint?.expression).toBe("point.x");
    expect(accessStop.frame?.functionName).toBe("tick");
    expect(access.hardware).toBe(true);
  });

  it("stops only when the condition holds", async () => {
    const target = (await counter()) + 5n;
    const breakpoint = await insertBreakpoint(session.gdb, {
      location: { kind: "function", name: "add_one" },
      condition: `value == ${target}`,
    });
    expect(breakpoint.condition).toBe(`value == ${target}`);
    const stop = await resume();
    expect(stop.breakpointNumber).toBe(breakpoint.number);
    expect(BigInt(await evaluateExpression(session.gdb, "value"))).toBe(target);
    expect(await counter()).toBe(target);

    // Change the condition in place, then remove it.
    await setBreakpointCondition(session.gdb, breakpoint.number, `value == ${target + 3n}`);
    await resume();
    expect(BigInt(await evaluateExpression(session.gdb, "value"))).toBe(target + 3n);
    await setBreakpointCondition(session.gdb, breakpoint.number, "");
    const [listed] = await listBreakpoints(session.gdb);
    expect(listed.condition).toBeUndefined();
    await resume();
    expect(BigInt(await evaluateExpression(session.gdb, "value"))).toBe(target + 4n);
  });

  it("skips hits by ignore count and reports hit counts", async () => {
    const modified: BreakpointRecord[] = [];
    const onModified = (record: BreakpointRecord) => modified.push(record);
    session.gdb.on("breakpointModified", onModified);
    try {
      // Start inside a tick, before it writes the counter.
      await insertBreakpoint(session.gdb, {
        location: { kind: "function", name: "add_one" },
        lifetime: "temporary",
      });
      await resume();
      const start = await counter();
      const breakpoint = await insertBreakpoint(session.gdb, {
        location: { kind: "source-line", file: "counter-kernel.c", line: await tagLine("tick-first-line") },
        ignoreCount: 3,
      });
      expect(breakpoint.ignoreCount).toBe(3);
      await resume();
      // The tick in progress completed (+1), three more were skipped (+3), the next one stopped on entry.
      expect(await counter()).toBe(start + 4n);
      const [listed] = await listBreakpoints(session.gdb);
      expect(listed).toMatchObject({ number: breakpoint.number, hitCount: 4, ignoreCount: 0 });
      expect(
        modified.filter((record) => record.number === breakpoint.number).map((record) => record.hitCount),
      ).toEqual([1, 2, 3, 4]);

      await setBreakpointIgnoreCount(session.gdb, breakpoint.number, 2);
      await resume();
      expect(await counter()).toBe(start + 7n);
    } finally {
      session.gdb.off("breakpointModified", onModified);
    }
  });

  it("uses hardware, temporary and address breakpoints", async () => {
    const hardware = await insertBreakpoint(session.gdb, {
      location: { kind: "function", name: "add_one" },
      kind: "hardware",
    });
    expect(hardware.type).toBe("hw breakpoint");
    const stop = await resume();
    expect(stop.breakpointNumber).toBe(hardware.number);
    expect(stop.frame?.functionName).toBe("add_one");
    await deleteBreakpoints(session.gdb, [hardware.number]);

    const temporary = await insertBreakpoint(session.gdb, {
      location: { kind: "function", name: "tick" },
      lifetime: "temporary",
    });
    expect(temporary.disposition).toBe("del");
    const tickStop = await resume();
    expect(tickStop.breakpointNumber).toBe(temporary.number);
    expect(await listBreakpoints(session.gdb)).toEqual([]);

    const address = tickStop.frame?.address ?? 0n;
    const atAddress = await insertBreakpoint(session.gdb, { location: { kind: "address", address } });
    expect(atAddress.locations[0]?.address).toBe(address);
    const addressStop = await resume();
    expect(addressStop.breakpointNumber).toBe(atAddress.number);
    expect(addressStop.frame?.address).toBe(address);
  });

  it("honours disable and enable", async () => {
    const onTick = await insertBreakpoint(session.gdb, {
      location: { kind: "function", name: "tick" },
      initialState: "disabled",
    });
    expect(onTick.enabled).toBe(false);
    const onAddOne = await insertBreakpoint(session.gdb, { location: { kind: "function", name: "add_one" } });
    // tick() runs before add_one() in each round, but its breakpoint is disabled.
    expect((await resume()).breakpointNumber).toBe(onAddOne.number);

    await enableBreakpoints(session.gdb, [onTick.number]);
    await disableBreakpoints(session.gdb, [onAddOne.number]);
    expect((await resume()).breakpointNumber).toBe(onTick.number);
    expect((await listBreakpoints(session.gdb)).map((breakpoint) => breakpoint.enabled)).toEqual([
      true,
      false,
    ]);
  });
});
