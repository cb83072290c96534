// threads.ts - the DAP threads of a Toro VM are its vCPUs: thread id = GDB thread id = CPU index + 1 (the one
// mapping, ../gdb/vcpu.ts). Each is named from the telemetry block, read from guest RAM without GDB, so the
// list is available while the VM runs: `CPU 2 · worker-3 · halted` (kernel thread and core state), or
// `CPU 1 · halted` when no thread runs there, or just `CPU 0` before the kernel has written its block.
// While the VM is stopped, the kernel's switched-out threads follow the vCPUs (../engine/launch/kernel-threads.ts):
// DAP id = KERNEL_THREAD_ID_BASE + kernel thread id, named `Thread 7 · rest · core 1 · sleeping`. A thread that
// is running is not listed twice: its vCPU's row names it, and its stack is that vCPU's.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { threadIdForCpu } from "../gdb";
import { threadOnCore } from "../engine/telemetry/derived";
import type { TelemetryPoll } from "../engine/telemetry/telemetry-poller";
import type { KernelThread } from "../engine/launch/kernel-threads";

/** DAP ids of kernel threads start here (vCPUs are 1..256). */
export const KERNEL_THREAD_ID_BASE = 100_000;

/** The kernel thread id behind a DAP thread id, undefined for a vCPU. */
export function kernelThreadOf(dapThreadId: number): number | undefined {
  return dapThreadId >= KERNEL_THREAD_ID_BASE ? dapThreadId - KERNEL_THREAD_ID_BASE : undefined;
}

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

/** The switched-out kernel threads as DAP threads, in the kernel's order (running ones are their vCPU's row). */
export function kernelThreadRows(threads: KernelThread[]): DebugProtocol.Thread[] {
  return threads
    .filter((thread) => thread.state !== "running")
    .map((thread) => ({
      id: KERNEL_THREAD_ID_BASE + thread.id,
      name: [`Thread ${thread.id}`, thread.name || "thread", `core ${thread.core}`, thread.state].join(
        NAME_SEPARATOR,
      ),
    }));
}
