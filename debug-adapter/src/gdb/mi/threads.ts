// threads.ts - GDB/MI "Thread Commands": list the target's threads and select one. Under QEMU every thread
// is a vCPU (mapping in ../vcpu.ts); `details` carries QEMU's own view, e.g. "CPU#1 [halted ]".
// Pairs with stack.ts (each thread's current frame) and execution.ts (steps aimed at a thread).

import type { GdbClient } from "../gdb-client";
import { cpuForThreadId } from "../vcpu";
import { miCommand } from "./command-line";
import { parseFrame, type StackFrame } from "./stack";
import {
  asTuple,
  integerField,
  listField,
  optionalIntegerField,
  optionalStringField,
  optionalTupleField,
  stringField,
} from "./values";

export interface ThreadInfo {
  /** GDB's thread id, the one every `--thread` option takes. */
  id: number;
  /** The vCPU index this thread is (vcpu.ts). */
  cpuIndex: number;
  /** GDB's target id, e.g. "Thread 1.2". */
  targetId: string;
  /** Extra text from the gdbstub; QEMU prints "CPU#<index> [running]" or "CPU#<index> [halted ]". */
  details?: string;
  state: "stopped" | "running";
  /** Where the vCPU is (innermost frame), when stopped. */
  frame?: StackFrame;
}

export interface ThreadList {
  threads: ThreadInfo[];
  /** The thread GDB has selected (commands without `--thread` apply to it). */
  currentThreadId?: number;
}

/** Lists every thread (vCPU). Needs a stopped target: QEMU answers no queries while it runs. */
export async function listThreads(client: GdbClient): Promise<ThreadList> {
  const command = "-thread-info";
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  const threads = listField(command, results, "threads").map((entry) => {
    const tuple = asTuple(command, entry);
    const id = integerField(command, tuple, "id");
    const frame = optionalTupleField(tuple, "frame");
    return {
      id,
      cpuIndex: cpuForThreadId(id),
      targetId: stringField(command, tuple, "target-id"),
      details: optionalStringField(tuple, "details"),
      state: optionalStringField(tuple, "state") === "running" ? "running" : "stopped",
      frame: frame === undefined ? undefined : parseFrame(frame),
    } satisfies ThreadInfo;
  });
  return { threads, currentThreadId: optionalIntegerField(results, "current-thread-id") };
}

/** Makes `threadId` GDB's selected thread; returns its innermost frame. */
export async function selectThread(client: GdbClient, threadId: number): Promise<StackFrame | undefined> {
  const { results } = await client.execute(miCommand("-thread-select", threadId), {
    requirement: "stopped-target",
  });
  const frame = optionalTupleField(results, "frame");
  return frame === undefined ? undefined : parseFrame(frame);
}
