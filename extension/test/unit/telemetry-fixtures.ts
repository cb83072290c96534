// telemetry-fixtures.ts - toroTelemetry bodies for the unit tests: a 4-core kernel with one core running,
// two halted and one spinning on a lock, with spinlocks and threads. Each call returns a fresh object.

import type { ToroCore, ToroCoreState, ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";

export function core(index: number, state: ToroCoreState, overrides: Partial<ToroCore> = {}): ToroCore {
  const halted = state === "halted";
  return {
    index,
    state,
    online: state !== "offline",
    threadId: state === "running" || state === "lock-spin" ? 10 + index : null,
    threadName: state === "running" || state === "lock-spin" ? `worker-${index}` : null,
    readyThreads: 0,
    totalThreads: 1,
    pollingThreads: 0,
    halts: halted ? 1200 + index : 0,
    pollHalts: 0,
    haltsPerSecond: halted ? 19.8 : 0,
    shares: {
      idle: halted ? 0.99 : 0,
      busy: halted ? 0.01 : state === "lock-spin" ? 0.4 : 1,
      halted: halted ? 0.99 : 0,
      idleSpin: 0,
      lockSpin: state === "lock-spin" ? 0.6 : 0,
      polling: 0,
      interrupt: 0,
    },
    spinningLock: state === "lock-spin" ? "shared" : null,
    contextSwitches: 1500,
    interrupts: 2500,
    ipisReceived: 12,
    wakeups: 40,
    lastWakeupLatencyMicroseconds: 850,
    worstWakeupLatencyMicroseconds: 12500,
    network: { framesIn: 0, framesOut: 0, framesDropped: 0, connectionsOpen: 0, timeWait: 0 },
    ...overrides,
  };
}

export function body(overrides: Partial<ToroTelemetryBody> = {}): ToroTelemetryBody {
  return {
    protocolVersion: 1,
    sequence: 7,
    timeMs: 1_700_000_000_000,
    target: "running",
    unreadable: null,
    global: {
      idlePolicy: "tickless",
      coresOnline: 4,
      coresDetected: 4,
      tscHz: 2_000_000_000,
      pollGraceMicroseconds: 200,
      tickHz: 100,
      panic: null,
      hypervisor: {
        kind: "TCG",
        signature: "TCGTCGTCGTCG",
        maxLeaf: 0x40000001,
        tscKhz: null,
        lapicKhz: null,
      },
      apicMode: "xAPIC",
    },
    cores: [core(0, "running"), core(1, "halted"), core(2, "halted"), core(3, "lock-spin")],
    spinlocks: [
      {
        name: "console",
        ownerCore: null,
        acquisitions: 900,
        contentions: 0,
        cyclesSpun: 0,
        longestHoldMicroseconds: 3,
      },
      {
        name: "shared",
        ownerCore: 0,
        acquisitions: 5000,
        contentions: 1204,
        cyclesSpun: 12_345_678,
        longestHoldMicroseconds: 12.5,
      },
      {
        name: "heap",
        ownerCore: null,
        acquisitions: 300,
        contentions: 2,
        cyclesSpun: 5000,
        longestHoldMicroseconds: null,
      },
    ],
    threads: [
      { id: 13, name: "worker-3", core: 3, state: "running", polling: false, switches: 4 },
      { id: 10, name: "worker-0", core: 0, state: "running", polling: false, switches: 9 },
      { id: 2, name: "poller", core: 0, state: "ready", polling: true, switches: 1234 },
      { id: 1, name: "main", core: 0, state: "sleeping", polling: false, switches: 3 },
    ],
    host: { qemuCpuPercent: 0.94, qemuPid: 4242 },
    vm: { status: "running", stops: 0 },
    ...overrides,
  };
}

/** An unreadable body: the kernel has not written its block yet. */
export function unreadableBody(sequence: number): ToroTelemetryBody {
  return body({
    sequence,
    unreadable: "not booted yet",
    global: null,
    cores: [],
    spinlocks: [],
    threads: [],
  });
}
