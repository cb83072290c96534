// telemetry-body.ts - turns one engine telemetry poll (../engine/telemetry/telemetry-poller.ts) into the body
// of the custom `toroTelemetry` event / `toroSnapshot` response (../protocol/toro-protocol.ts). Pure: the
// translation is the whole job, so the extension sees plain JSON with its own names.

import type { TelemetryPoll } from "../engine/telemetry/telemetry-poller";
import type { VmSnapshot } from "../engine/launch/vm-monitor";
import { coreActivity, cyclesToMicroseconds, type CoreActivity } from "../engine/telemetry/derived";
import type { TelemetrySnapshot } from "../engine/telemetry/snapshot";
import {
  TORO_PROTOCOL_VERSION,
  type ToroCore,
  type ToroGlobal,
  type ToroTelemetryBody,
  type ToroThreadState,
} from "../protocol/toro-protocol";

/** One core as the protocol names it: the record's counters plus the engine's derived view (derived.ts). */
function coreOf(snapshot: TelemetrySnapshot, derived: CoreActivity): ToroCore {
  const core = snapshot.cores.find((candidate) => candidate.index === derived.index)!;
  return {
    index: core.index,
    state: core.state,
    online: core.online,
    threadId: core.currentThread,
    threadName: derived.threadName,
    readyThreads: core.readyThreads,
    totalThreads: core.totalThreads,
    pollingThreads: core.pollingThreads,
    halts: core.halts,
    pollHalts: core.pollHalts,
    haltsPerSecond: derived.haltsPerSecond,
    shares: derived.shares,
    spinningLock: derived.spinningLockName,
    contextSwitches: core.contextSwitches,
    interrupts: core.interrupts,
    ipisReceived: core.ipisReceived,
    network: core.network,
    wakeups: core.wakeups,
    lastWakeupLatencyMicroseconds: derived.lastWakeupLatencyMicroseconds,
    worstWakeupLatencyMicroseconds: derived.worstWakeupLatencyMicroseconds,
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
    cores: (poll.activity ?? coreActivity(poll.sample!)).map((derived) => coreOf(snapshot, derived)),
    spinlocks: snapshot.locks.map((lock) => ({
      name: lock.name,
      ownerCore: lock.ownerCore,
      acquisitions: lock.acquisitions,
      contentions: lock.contentions,
      cyclesSpun: lock.cyclesSpun,
      longestHoldMicroseconds: cyclesToMicroseconds(lock.longestHoldCycles, snapshot.global.tscHz),
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
