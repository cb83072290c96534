// run-control.test.ts - the GDB layer against real GDB and QEMU (1 vCPU): connect, function and source-line
// breakpoints, step over/in/out, instruction steps, interrupt and continue, commands refused while the
// target runs, GDB's refusals as GdbError. Shared setup in support/session.ts; stop lines come from TAGs.

import * as path from "node:path";
import { describe, expect, it } from "vitest";

import {
  continueExecution,
  deleteBreakpoints,
  enableBreakpoints,
  evaluateExpression,
  finish,
  GdbError,
  insertBreakpoint,
  interrupt,
  listThreads,
  next,
  readMemory,
  step,
  stepInstruction,
  nextInstruction,
  TargetRunningError,
  type StopEvent,
} from "../../src/gdb";
import { FIXTURE_SOURCE, tagLine } from "./support/fixture";
import { rejectionOf } from "./support/rejection";
import { useSharedSession } from "./support/session";

const session = useSharedSession(1);

/** Continues to a one-shot breakpoint at `tag`'s line and returns the stop. */
async function runToTag(tag: string): Promise<StopEvent> {
  const line = await tagLine(tag);
  await insertBreakpoint(session.gdb, {
    location: { kind: "source-line", file: path.basename(FIXTURE_SOURCE), line },
    lifetime: "temporary",
  });
  return session.gdb.untilStopped(() => continueExecution(session.gdb));
}

function milliseconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

describe("run control over QEMU's gdbstub", () => {
  it("connects with the VM stopped at the reset vector", async () => {
    expect(session.gdb.state).toBe("stopped");
    const { threads } = await listThreads(session.gdb);
    expect(threads).toHaveLength(1);
    expect(threads[0].frame?.address).toBe(0xfff0n);
  });

  it("stops at a function breakpoint", async () => {
    const breakpoint = await insertBreakpoint(session.gdb, { location: { kind: "function", name: "tick" } });
    const firstLine = await tagLine("tick-first-line");
    expect(breakpoint.locations[0]?.line).toBe(firstLine);

    const stop = await session.gdb.untilStopped(() => continueExecution(session.gdb));

    expect(stop.reason).toBe("breakpoint-hit");
    expect(stop.breakpointNumber).toBe(breakpoint.number);
    expect(stop.threadId).toBe(1);
    expect(stop.frame?.functionName).toBe("tick");
    expect(stop.frame?.line).toBe(firstLine);
    expect(session.gdb.state).toBe("stopped");
    await deleteBreakpoints(session.gdb, [breakpoint.number]);
  });

  it("stops at a source line resolved from a tag", async () => {
    const line = await tagLine("add-one-body");
    const breakpoint = await insertBreakpoint(session.gdb, {
      location: { kind: "source-line", file: "counter-kernel.c", line },
    });

    const stop = await session.gdb.untilStopped(() => continueExecution(session.gdb));

    expect(stop.breakpointNumber).toBe(breakpoint.number);
    expect(stop.frame?.functionName).toBe("add_one");
    expect(stop.frame?.line).toBe(line);
    expect(stop.frame?.fullPath).toBe(FIXTURE_SOURCE);
    await deleteBreakpoints(session.gdb, [breakpoint.number]);
  });

  it("steps into a call, out of it with its return value, and over the next line", async () => {
    await runToTag("tick-call");
    const before = BigInt(await evaluateExpression(session.gdb, "before"));

    const into = await session.gdb.untilStopped(() => step(session.gdb));
    expect(into.reason).toBe("end-stepping-range");
    expect(into.frame?.functionName).toBe("add_one");
    expect(into.frame?.line).toBe(await tagLine("add-one-body"));

    const out = await session.gdb.untilStopped(() => finish(session.gdb));
    expect(out.reason).toBe("function-finished");
    expect(out.frame?.functionName).toBe("tick");
    expect(out.returnValue).toBe(String(before + 1n));

    const over = await session.gdb.untilStopped(() => next(session.gdb));
    expect(over.reason).toBe("end-stepping-range");
    expect(over.frame?.line).toBe(await tagLine("tick-after-call"));
  });

  it("steps over whole calls with next, fast (round-trip timing)", async () => {
    const callLine = await tagLine("loop-call");
    const countLine = await tagLine("loop-count");
    await runToTag("loop-call");
    const counterBefore = BigInt(await evaluateExpression(session.gdb, "counter"));
    const durations: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      const start = process.hrtime.bigint();
      const stop = await session.gdb.untilStopped(() => next(session.gdb));
      durations.push(milliseconds(start));
      expect(stop.reason).toBe("end-stepping-range");
      expect(stop.frame?.functionName).toBe("kernel_main");
      expect(stop.frame?.line).toBe(round % 2 === 0 ? countLine : callLine);
    }
    // Every other `next` stepped over one whole tick() call.
    expect(BigInt(await evaluateExpression(session.gdb, "counter"))).toBe(counterBefore + 10n);
    const sorted = [...durations].sort((left, right) => left - right);
    console.log(
      `next round trip over ${sorted.length} steps: median ${percentile(sorted, 0.5).toFixed(1)} ms, ` +
        `p95 ${percentile(sorted, 0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`,
    );
    expect(percentile(sorted, 0.5)).toBeLessThan(500);
  });

  it("steps single instructions with stepi and nexti", async () => {
    const { threads } = await listThreads(session.gdb);
    const start = threads[0].frame?.address;
    const first = await session.gdb.untilStopped(() => stepInstruction(session.gdb));
    expect(first.reason).toBe("end-stepping-range");
    expect(first.frame?.address).toBeDefined();
    expect(first.frame?.address).not.toBe(start);
    const second = await session.gdb.untilStopped(() => nextInstruction(session.gdb));
    expect(second.reason).toBe("end-stepping-range");
    expect(second.frame?.address).not.toBe(first.frame?.address);
  });

  it("interrupts a running target, then continues and interrupts again", async () => {
    for (let round = 0; round < 2; round += 1) {
      const counterBefore = BigInt(await evaluateExpression(session.gdb, "counter"));
      await continueExecution(session.gdb);
      expect(session.gdb.state).toBe("running");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const start = process.hrtime.bigint();
      const stop = await session.gdb.untilStopped(async () =>
        expect(await interrupt(session.gdb)).toBe(true),
      );
      console.log(
        `interrupt round ${round + 1}: stopped ${milliseconds(start).toFixed(1)} ms after -exec-interrupt`,
      );
      expect(stop.reason).toBe("signal-received");
      expect(stop.signalName).toBe("SIGINT");
      expect(stop.stoppedThreads).toBe("all");
      expect(session.gdb.state).toBe("stopped");
      expect(BigInt(await evaluateExpression(session.gdb, "counter"))).toBeGreaterThan(counterBefore);
    }
    // Interrupting a stopped target sends nothing; waiting on it yields the stop the target is in.
    expect(await interrupt(session.gdb)).toBe(false);
    const current = session.gdb.lastStop;
    expect(await session.gdb.untilStopped(() => interrupt(session.gdb))).toBe(current);
  });

  it("refuses commands while the target runs, without sending them to GDB", async () => {
    await continueExecution(session.gdb);
    const sentBefore = session
      .transcript()
      .split("\n")
      .filter((line) => / command /.test(line)).length;

    const refused = await rejectionOf(evaluateExpression(session.gdb, "counter"), TargetRunningError);
    await expect(listThreads(session.gdb)).rejects.toBeInstanceOf(TargetRunningError);
    await expect(readMemory(session.gdb, "&counter", 8)).rejects.toBeInstanceOf(TargetRunningError);
    await expect(
      insertBreakpoint(session.gdb, { location: { kind: "function", name: "tick" } }),
    ).rejects.toBeInstanceOf(TargetRunningError);
    await expect(step(session.gdb)).rejects.toBeInstanceOf(TargetRunningError);

    const sentAfter = session
      .transcript()
      .split("\n")
      .filter((line) => / command /.test(line)).length;
    expect(sentAfter).toBe(sentBefore);
    // The error's stack points at this test (created where the command was issued).
    expect(refused.stack).toContain("run-control.test.ts");
    expect(refused.message).toContain("-data-evaluate-expression counter");

    await session.gdb.untilStopped(() => interrupt(session.gdb));
    expect(await evaluateExpression(session.gdb, "point.y")).toBe("4");
  });

  it("reports GDB's refusals as GdbError with GDB's message, keeping the target stopped", async () => {
    const error = await rejectionOf(
      insertBreakpoint(session.gdb, { location: { kind: "function", name: "no_such_function" } }),
      GdbError,
    );
    expect(error.miMessage).toBe('Function "no_such_function" not defined.');
    expect(error.stack).toContain("run-control.test.ts");

    await expect(enableBreakpoints(session.gdb, [999])).rejects.toThrow("No breakpoint number 999.");
    await expect(evaluateExpression(session.gdb, "no_such_variable")).rejects.toThrow(
      'No symbol "no_such_variable" in current context.',
    );
    expect(session.gdb.state).toBe("stopped");
  });
});
