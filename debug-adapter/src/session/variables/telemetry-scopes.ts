// telemetry-scopes.ts - the "Core" scope (this vCPU's scheduler record from the telemetry block: state,
// thread, queue lengths, halts, time shares, wake-up latency, plus the kernel's own `struct cpu` through
// GDB) and the "Kernel" scope (idle policy, panic, every spinlock and thread). Read from guest RAM like the
// live views, so they show exactly what the Cores/Spinlocks/Threads views show. Pairs with scopes.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import type { GdbClient } from "../../gdb";
import type { TelemetryPoll } from "../../engine/telemetry/telemetry-poller";
import type { CoreActivity } from "../../engine/telemetry/derived";
import type {
  CoreRecord,
  LockRecord,
  TelemetrySnapshot,
  ThreadRecord,
} from "../../engine/telemetry/snapshot";
import { lazyExpressionContainer } from "./variable-objects";
import { fixedContainer, leaf, type VariableContainer, type VariableStore } from "./variable-store";

function percent(share: number | undefined): string {
  return share === undefined ? "-" : `${(share * 100).toFixed(1)}%`;
}

function microseconds(cycles: number, tscHz: number): string {
  return tscHz > 0 ? `${((cycles / tscHz) * 1e6).toFixed(1)} µs` : `${cycles} cycles`;
}

function threadLabel(snapshot: TelemetrySnapshot, id: number | null): string {
  if (id === null) return "none (scheduler)";
  const thread = snapshot.threads.find((candidate) => candidate.id === id);
  return thread === undefined ? `#${id}` : `#${id} ${thread.name}`;
}

function coreVariables(
  snapshot: TelemetrySnapshot,
  core: CoreRecord,
  activity: CoreActivity | undefined,
): DebugProtocol.Variable[] {
  const tscHz = snapshot.global.tscHz;
  const shares = activity?.shares ?? null;
  return [
    leaf("state", core.state),
    leaf("thread", threadLabel(snapshot, core.currentThread)),
    leaf(
      "threads (ready / total / polling)",
      `${core.readyThreads} / ${core.totalThreads} / ${core.pollingThreads}`,
    ),
    leaf("halts", String(core.halts)),
    leaf("polling halts", String(core.pollHalts)),
    leaf(
      "halts per second",
      activity?.haltsPerSecond === null || activity === undefined ? "-" : activity.haltsPerSecond.toFixed(1),
    ),
    leaf(
      "time (busy / halted / idle spin / lock spin / polling)",
      shares === null
        ? "-"
        : [shares.busy, shares.halted, shares.idleSpin, shares.lockSpin, shares.polling]
            .map(percent)
            .join(" / "),
    ),
    leaf("spinning on lock", activity?.spinningLockName ?? "no"),
    leaf("context switches", String(core.contextSwitches)),
    leaf("interrupts (timer)", `${core.interrupts} (${core.timerInterrupts})`),
    leaf("IPIs received / sent", `${core.ipisReceived} / ${core.ipisSent}`),
    leaf("wake-ups", String(core.wakeups)),
    leaf(
      "wake-up latency (last / worst)",
      core.wakeups === 0
        ? "-"
        : `${microseconds(core.lastWakeupLatencyCycles, tscHz)} / ${microseconds(core.worstWakeupLatencyCycles, tscHz)}`,
    ),
    leaf("APIC id", String(core.apicId)),
  ];
}

/** The Core scope of vCPU `core`; `threadId` is its GDB thread (for `struct cpu` through GS). */
export function coreContainer(
  gdb: GdbClient,
  store: VariableStore,
  poll: TelemetryPoll,
  core: number,
  threadId: number,
): VariableContainer {
  return {
    list: async () => {
      const cpuStruct: DebugProtocol.Variable = {
        name: "struct cpu (via GS base)",
        value: "*(struct cpu *)$gs_base",
        evaluateName: "*(struct cpu *)$gs_base",
        variablesReference: store.add(
          lazyExpressionContainer(gdb, store, "*(struct cpu *)$gs_base", { threadId, frameLevel: 0 }),
        ),
      };
      const snapshot = poll.sample?.snapshot;
      const record = snapshot?.cores.find((candidate) => candidate.index === core);
      if (snapshot === undefined || record === undefined) {
        return [leaf("telemetry", poll.unreadable ?? `no record for core ${core}`), cpuStruct];
      }
      const activity = poll.activity?.find((candidate) => candidate.index === core);
      return [...coreVariables(snapshot, record, activity), cpuStruct];
    },
  };
}

function lockVariable(store: VariableStore, lock: LockRecord, tscHz: number): DebugProtocol.Variable {
  const owner = lock.ownerCore === null ? "free" : `held by core ${lock.ownerCore}`;
  const details = [
    leaf("owner", owner),
    leaf("acquisitions", String(lock.acquisitions)),
    leaf("contentions", String(lock.contentions)),
    leaf("spun", microseconds(lock.cyclesSpun, tscHz)),
    leaf("longest hold", microseconds(lock.longestHoldCycles, tscHz)),
  ];
  return {
    name: lock.name,
    value: `${owner}, ${lock.contentions} contentions`,
    variablesReference: store.add(fixedContainer(details)),
  };
}

function threadVariable(thread: ThreadRecord): DebugProtocol.Variable {
  const polling = thread.polling ? ", polling" : "";
  return leaf(
    `#${thread.id} ${thread.name}`,
    `core ${thread.core}, ${thread.state}${polling}, ${thread.switches} switches`,
  );
}

export function kernelContainer(store: VariableStore, poll: TelemetryPoll): VariableContainer {
  return {
    list: async () => {
      const snapshot = poll.sample?.snapshot;
      if (snapshot === undefined) return [leaf("telemetry", poll.unreadable ?? "not readable")];
      const { global } = snapshot;
      const locks = snapshot.locks.map((lock) => lockVariable(store, lock, global.tscHz));
      return [
        leaf("idle policy", global.idlePolicy),
        leaf("cores online / detected", `${global.coresOnline} / ${global.coresDetected}`),
        leaf("panic", global.panic === null ? "no" : `core ${global.panic.core}: ${global.panic.message}`),
        leaf("TSC frequency", `${(global.tscHz / 1e6).toFixed(1)} MHz`),
        leaf("command line", global.cmdline),
        {
          name: "spinlocks",
          value: `${snapshot.locks.length} registered`,
          variablesReference: store.add(fixedContainer(locks)),
        },
        {
          name: "threads",
          value: `${snapshot.threads.length}`,
          variablesReference: store.add(fixedContainer(snapshot.threads.map(threadVariable))),
        },
      ];
    },
  };
}
