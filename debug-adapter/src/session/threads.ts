// threads.ts - the DAP threads of a Toro VM are its vCPUs: thread id = GDB thread id = CPU index + 1 (the one
// mapping, ../gdb/vcpu.ts). Each is named from the telemetry block, read from guest RAM without GDB, so the
// list is available while the VM runs: `CPU 2 · worker-3 · halted` (kernel thread and core state), or
// `CPU 1 · halted` when no thread runs there, or just `CPU 0` before the kernel has written its block.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { threadIdForCpu } from "../gdb";
import { threadOnCore } from "../engine/telemetry/derived";
import type { TelemetryPoll } from "../engine/telemetry/telemetry-poller";

export const NAME_SEPARATOR = " · ";

/** The name of vCPU `cpu` given the latest telemetry (undefined or unreadable: the bare `CPU n`). */
export function vcpuName(cpu: number, poll: TelemetryPoll | undefined): string {
  const snapshot = poll?.sample?.snapshot;
  const core = snapshot?.cores.find((candidate) => candidate.index === cpu);
  if (snapshot === undefined || core === undefined || !core.online) return `CPU ${cpu}`;
  const thread = threadOnCore(snapshot, core);
  const parts = [`CPU ${cpu}`];
  if (core.currentThread !== null) parts.push(thread?.name ?? `thread ${core.currentThread}`);
  parts.push(core.state);
  return parts.join(NAME_SEPARATOR);
}

export function vcpuThreads(cpuCount: number, poll: TelemetryPoll | undefined): DebugProtocol.Thread[] {
  return Array.from({ length: cpuCount }, (_, cpu) => ({
    id: threadIdForCpu(cpu),
    name: vcpuName(cpu, poll),
  }));
}
