// translation.test.ts - the session's pure translations, without QEMU: hit conditions to GDB ignore counts,
// logpoint messages, C expressions of struct/array/pointer children, vCPU thread names, the telemetry event
// body, the run-aware guest clock, and engine stops to DAP stop reasons.

import { describe, expect, it } from "vitest";
import { RunAwareClock } from "../../src/engine/launch/run-aware-clock";
import { classifyStop } from "../../src/engine/launch/target-stop";
import type { StopEvent } from "../../src/gdb";
import type { TelemetryPoll } from "../../src/engine/telemetry/telemetry-poller";
import type { TelemetrySnapshot } from "../../src/engine/telemetry/snapshot";
import { planHitCondition } from "../../src/session/breakpoints/hit-condition";
import { parseLogMessage, renderLogMessage } from "../../src/session/breakpoints/logpoint";
import { telemetryBody } from "../../src/session/telemetry-body";
import { vcpuName, vcpuThreads } from "../../src/session/threads";
import { childPath, isExpandablePointer } from "../../src/session/variables/variable-objects";

function snapshot(overrides: Partial<TelemetrySnapshot> = {}): TelemetrySnapshot {
  const core = (index: number, state: "running" | "halted", currentThread: number | null) => ({
    index,
    torn: false,
    state,
    online: true,
    apicId: index,
    currentThread,
    spinningLock: null,
    readyThreads: 0,
    totalThreads: 1,
    pollingThreads: 0,
    stateSinceTsc: 0,
    updatedTsc: 0,
    halts: 10 * index,
    pollHalts: 0,
    cyclesHalted: 0,
    cyclesBusy: 0,
    cyclesIdleSpin: 0,
    cyclesLockSpin: 0,
    cyclesPolling: 0,
    cyclesInterrupt: 0,
    contextSwitches: 0,
    interrupts: 0,
    timerInterrupts: 0,
    ipisReceived: 0,
    ipisSent: 0,
    wakeups: 0,
    lastWakeupLatencyCycles: 0,
    worstWakeupLatencyCycles: 0,
    network: { framesIn: 0, framesOut: 0, framesDropped: 0, connectionsOpen: 0, timeWait: 0 },
    wakesByReason: { timer: 0, ipi: 0, device: 0, pollRecheck: 0 },
  });
  return {
    abiVersion: 2,
    global: {
      torn: false,
      idlePolicy: "tickless",
      coresDetected: 3,
      coresOnline: 3,
      locksRegistered: 1,
      threadSlotsUsed: 2,
      tscHz: 1e9,
      bootTsc: 1,
      readyTsc: 2,
      pollGraceMicroseconds: 1000,
      tickHz: 100,
      panic: null,
      cmdline: "idle=tickless",
      hypervisor: { kind: "KVM", signature: "KVMKVMKVM", maxLeaf: 0x40000001, tscKhz: null, lapicKhz: null },
      apicMode: "x2APIC",
    },
    cores: [core(0, "running", 1), core(1, "halted", null), core(2, "running", 7)],
    locks: [
      {
        index: 0,
        torn: false,
        name: "counter",
        ownerCore: null,
        acquisitions: 5,
        contentions: 1,
        cyclesSpun: 2000,
        longestHoldCycles: 3000,
      },
    ],
    threads: [
      { slot: 0, torn: false, id: 1, name: "main", core: 0, state: "running", polling: false, switches: 3 },
      {
        slot: 1,
        torn: false,
        id: 7,
        name: "worker-2",
        core: 2,
        state: "running",
        polling: false,
        switches: 1,
      },
    ],
    tornRecords: 0,
    hostTimeMs: 1000,
    ...overrides,
  };
}

function poll(value: TelemetrySnapshot | null): TelemetryPoll {
  return {
    sequence: 1,
    source: "ram-file",
    hostTimeMs: 1000,
    readDurationMs: 0.1,
    sample: value === null ? null : { snapshot: value, guestNowTsc: null },
    unreadable: value === null ? "not booted yet" : null,
    activity: null,
    hostCpuPercent: 1.5,
    qemuPid: 42,
    qemuStopped: false,
  };
}

describe("hit conditions", () => {
  it.each([
    ["5", 4, [5, 6], []],
    [">= 5", 4, [5], []],
    ["> 5", 5, [6], []],
    ["== 3", 2, [3], [4]],
    ["< 3", 0, [1, 2], [3]],
    ["<= 2", 0, [2], [3]],
    ["% 3", 0, [3, 6], [4]],
  ])("plans %s", (condition, ignoreCount, stopping, resuming) => {
    const plan = planHitCondition(condition);
    if (typeof plan === "string") throw new Error(plan);
    expect(plan.ignoreCount).toBe(ignoreCount);
    for (const hits of stopping) expect(plan.shouldStop?.(hits) ?? true).toBe(true);
    for (const hits of resuming) expect(plan.shouldStop!(hits)).toBe(false);
  });

  it("refuses what it does not understand", () => {
    expect(planHitCondition("often")).toMatch(/hit count must be a number/);
    expect(planHitCondition("% 0")).toMatch(/divides by zero/);
  });
});

describe("logpoints", () => {
  it("splits text from {expressions} and keeps doubled braces literal", async () => {
    const parts = parseLogMessage("x={x}, {{literal}} y={ y + 1 }");
    expect(parts).toEqual([
      { kind: "text", text: "x=" },
      { kind: "expression", expression: "x" },
      { kind: "text", text: ", {literal} y=" },
      { kind: "expression", expression: "y + 1" },
    ]);
    const rendered = await renderLogMessage(parts, async (expression) => {
      if (expression === "x") return "3";
      throw new Error('No symbol "y" in current context.');
    });
    expect(rendered).toBe('x=3, {literal} y=<error: No symbol "y" in current context.>');
  });
});

describe("child expressions", () => {
  it("builds the C expression of struct fields, array elements and pointer targets", () => {
    expect(childPath("pair", "struct pair *", "left")).toBe("pair->left");
    expect(childPath("config", "struct config", "retries")).toBe("config.retries");
    expect(childPath("ids", "int [16]", "3")).toBe("ids[3]");
    expect(childPath("a->b", "int *", "*a->b")).toBe("*(a->b)");
    expect(childPath("*(struct cpu *)$gs_base", "struct cpu", "index")).toBe(
      "(*(struct cpu *)$gs_base).index",
    );
    expect(childPath("x", "union u", "<anonymous union>")).toBeUndefined();
    expect(isExpandablePointer("struct pair *")).toBe(true);
    expect(isExpandablePointer("const char *")).toBe(false);
    expect(isExpandablePointer("void *")).toBe(false);
  });
});

describe("vCPU threads", () => {
  it("names each vCPU after its kernel thread and state", () => {
    const threads = vcpuThreads(3, poll(snapshot()));
    expect(threads).toEqual([
      { id: 1, name: "CPU 0 · main · running" },
      { id: 2, name: "CPU 1 · halted" },
      { id: 3, name: "CPU 2 · worker-2 · running" },
    ]);
    expect(vcpuName(0, poll(null))).toBe("CPU 0");
  });
});

describe("the telemetry body", () => {
  it("translates a poll into the protocol's plain JSON", () => {
    const body = telemetryBody(poll(snapshot()), {
      sequence: 4,
      target: "running",
      vm: { status: "running", stops: 2 },
    });
    expect(body).toMatchObject({
      protocolVersion: 1,
      sequence: 4,
      target: "running",
      unreadable: null,
      vm: { status: "running", stops: 2 },
    });
    expect(body.cores[2]).toMatchObject({
      index: 2,
      state: "running",
      threadId: 7,
      threadName: "worker-2",
      halts: 20,
    });
    expect(body.spinlocks[0]).toMatchObject({
      name: "counter",
      ownerCore: null,
      contentions: 1,
      longestHoldMicroseconds: 3,
    });
    expect(body.host).toEqual({ qemuCpuPercent: 1.5, qemuPid: 42 });
    expect(body.global).toMatchObject({
      hypervisor: { kind: "KVM", signature: "KVMKVMKVM", maxLeaf: 0x40000001, tscKhz: null },
      apicMode: "x2APIC",
    });
    const unreadable = telemetryBody(poll(null), { sequence: 1, target: "stopped", vm: undefined });
    expect(unreadable).toMatchObject({ unreadable: "not booted yet", cores: [], vm: null });
  });
});

describe("the run-aware guest clock", () => {
  it("stands still while the VM is stopped and continues from there", () => {
    const clock = new RunAwareClock();
    clock.observe(snapshot()); // learns tsc_hz = 1 GHz
    clock.anchor(1_000_000, 0);
    expect(clock.estimate(1)).toBe(2_000_000); // 1 ms later
    clock.vmStopped(1);
    expect(clock.estimate(60_000)).toBe(2_000_000); // a minute at a breakpoint: no guest time passed
    clock.vmResumed(60_000);
    expect(clock.estimate(60_001)).toBe(3_000_000);
    clock.reset();
    expect(clock.estimate(60_002)).toBeNull();
  });
});

describe("stop classification", () => {
  const stop = (fields: Partial<StopEvent>): StopEvent => ({
    reason: "none",
    stoppedThreads: "all",
    raw: {},
    ...fields,
  });
  const context = { panicBreakpoint: 1, entryBreakpoint: 2, pendingPanic: undefined };
  it("tells panics, entries, steps, pauses and shutdowns apart", () => {
    expect(classifyStop(stop({ reason: "breakpoint-hit", breakpointNumber: 1 }), context)).toBe("panic");
    expect(classifyStop(stop({ reason: "breakpoint-hit", breakpointNumber: 2 }), context)).toBe("entry");
    expect(classifyStop(stop({ reason: "breakpoint-hit", breakpointNumber: 5 }), context)).toBe("breakpoint");
    expect(classifyStop(stop({ reason: "end-stepping-range" }), context)).toBe("step");
    expect(classifyStop(stop({ reason: "watchpoint-trigger" }), context)).toBe("watchpoint");
    expect(classifyStop(stop({ reason: "signal-received", signalName: "SIGINT" }), context)).toBe("pause");
    expect(classifyStop(stop({ reason: "signal-received", signalName: "SIGQUIT" }), context)).toBe(
      "shutdown",
    );
    const panicking = { ...context, pendingPanic: { core: 1, message: "boom" } };
    expect(classifyStop(stop({ reason: "signal-received", signalName: "SIGINT" }), panicking)).toBe("panic");
  });
});
