// telemetry-body.ts - turns one engine telemetry poll (../engine/telemetry/telemetry-poller.ts) into the body
// of the custom `toroTelemetry` event / `toroSnapshot` response (../protocol/toro-protocol.ts). Pure: the
// translation is the whole job, so the extension sees plain JSON with its own names.

import type { TelemetryPoll } from "../engine/telemetry/telemetry-poller";
import type { VmSnapshot } from "../engine/launch/vm-monitor";
import type { CoreActivity } from "../engine/telemetry/derived";
import type { TelemetrySnapshot } from "../engine/telemetry/snapshot";
import {
  TORO_PROTOCOL_VERSION,
  type ToroCore,
  type ToroGlobal,
  type ToroTelemetryBody,
  type ToroThreadState,
} from "../protocol/toro-protocol";

function cycles(snapshot: TelemetrySnapshot, value: number): number | null {
  return snapshot.global.tscHz > 0 ? (value / snapshot.global.tscHz) * 1e6 : null;
}

function coreOf(snapshot: TelemetrySnapshot, activity: CoreActivity[] | null, index: number): ToroCore {
  const core = snapshot.cores.find((candidate) => candidate.index === index)!;
  const derived = activity?.find((candidate) => candidate.index === index);
  const thread = snapshot.threads.find((candidate) => candidate.id === core.currentThread);
  return {
    index,
    state: core.state,
    online: core.online,
    threadId: core.currentThread,
    threadName: thread?.name ?? null,
    readyThreads: core.readyThreads,
    totalThreads: core.totalThreads,
    pollingThreads: core.pollingThreads,
    halts: core.halts,
    pollHalts: core.pollHalts,
    haltsPerSecond: derived?.haltsPerSecond ?? null,
    shares: derived?.shares ?? null,
    spinningLock: derived?.spinningLockName ?? null,
    contextSwitches: core.contextSwitches,
    interrupts: core.interrupts,
    ipisReceived: core.ipisReceived,
    wakeups: core.wakeups,
    lastWakeupLatencyMicroseconds: core.wakeups === 0 ? null : cycles(snapshot, core.lastWakeupLatencyCycles),
    worstWakeupLatencyMicroseconds:
      core.wakeups === 0 ? null : cycles(snapshot, core.worstWakeupLatencyCycles),
  };
}

function globalOf(snapshot: TelemetrySnapshot): ToroGlobal {
  const global = snapshot.global;
  return {
    idlePolicy: global.idlePolicy,
    coresOnline: global.coresOnline,
    coresDetected: global.coresDetected,
    tscHz: global.tscHz,
    pollGraceMicroseconds: global.pollGraceMicroseconds,
    tickHz: global.tickHz,
    panic: global.panic,
    hypervisor: global.hypervisor,
    apicMode: global.apicMode,
  };
}

export interface TelemetryContext {
  sequence: number;
  target: "running" | "stopped";
  vm: VmSnapshot | undefined;
}

export function telemetryBody(poll: TelemetryPoll, context: TelemetryContext): ToroTelemetryBody {
  const snapshot = poll.sample?.snapshot;
  const common = {
    protocolVersion: TORO_PROTOCOL_VERSION,
    sequence: context.sequence,
    timeMs: Date.now(),
    target: context.target,
    host: { qemuCpuPercent: poll.hostCpuPercent, qemuPid: poll.qemuPid },
    vm: context.vm === undefined ? null : { status: context.vm.status, stops: context.vm.stops },
  } as const;
  if (snapshot === undefined) {
    return {
      ...common,
      unreadable: poll.unreadable ?? "no telemetry yet",
      global: null,
      cores: [],
      spinlocks: [],
      threads: [],
    };
  }
  return {
    ...common,
    unreadable: null,
    global: globalOf(snapshot),
    cores: snapshot.cores.map((core) => coreOf(snapshot, poll.activity, core.index)),
    spinlocks: snapshot.locks.map((lock) => ({
      name: lock.name,
      ownerCore: lock.ownerCore,
      acquisitions: lock.acquisitions,
      contentions: lock.contentions,
      cyclesSpun: lock.cyclesSpun,
      longestHoldMicroseconds: cycles(snapshot, lock.longestHoldCycles),
    })),
    threads: snapshot.threads.map((thread) => ({
      id: thread.id,
      name: thread.name,
      core: thread.core,
      state: (thread.state === "free" ? "unknown" : thread.state) as ToroThreadState,
      polling: thread.polling,
      switches: thread.switches,
    })),
  };
}
