// kernel-threads.ts - the kernel's threads of a stopped VM, and their stacks: the thread table is read from
// guest memory through GDB (`threads_by_slot`, kernel/core/thread.c), and a switched-out thread's stack is
// unwound by GDB itself from the registers context_switch saved (kernel-thread-unwinder.ts), so its frames
// have functions, source lines and locals like a vCPU's. Owned by DebugTarget; used by the DAP session.
//
// How a thread's frames are reached: show(id) makes GDB unwind the saved context as the callers of the first
// real frame of the thread's core's vCPU; the thread's own frames are then that vCPU's frames from
// `firstLevel` on, for every GDB command aimed at them (-stack-list-frames, -stack-list-variables, ...).
// One view at a time: show(undefined) goes back to the vCPUs' real stacks. Only while stopped: the view ends
// (here and in GDB) when the target resumes, so stops, steps and `finish` never see it.

import { executeConsoleCommand, threadIdForCpu, type GdbClient } from "../../gdb";
import { ToroError } from "../errors";
import { THREAD_STATES, type ThreadState } from "../telemetry/layout";
import { installUnwinderCommand } from "./kernel-thread-unwinder";

export interface KernelThread {
  id: number;
  core: number;
  name: string;
  state: ThreadState | "unknown";
  /** Address of the registers saved at the thread's last switch-out (stale while it runs). */
  context: bigint;
}

/** Where a shown thread's frames are: GDB thread `gdbThreadId`'s frames from `firstLevel` on. */
export interface KernelThreadView {
  threadId: number;
  gdbThreadId: number;
  firstLevel: number;
}

function fail(text: string, detail: string): never {
  throw new ToroError(`the kernel's thread table could not be read: ${text}`, detail);
}

/** The thread table as table() prints it (one JSON line, among whatever else GDB printed). */
export function parseThreadTable(output: string): KernelThread[] {
  const line = output.split("\n").find((candidate) => candidate.startsWith('{"threads"'));
  if (line === undefined) fail("GDB printed no table", output.trim().slice(0, 200));
  const table = JSON.parse(line) as { threads?: unknown };
  if (!Array.isArray(table.threads)) fail("no thread list", line.slice(0, 200));
  return table.threads.map((entry: unknown) => {
    const record = entry as Record<string, unknown>;
    const integers = ["id", "core", "state", "context"].map((key) => record[key]);
    if (!integers.every((value) => Number.isSafeInteger(value) && (value as number) >= 0)) {
      fail("a thread without integer id, core, state and context", JSON.stringify(entry));
    }
    const [id, core, state, context] = integers as number[];
    return {
      id,
      core,
      name: typeof record.name === "string" ? record.name : "",
      state: THREAD_STATES[state] ?? "unknown",
      context: BigInt(context),
    };
  });
}

/** The first `{"firstLevel": N}` line of show()'s output. */
export function parseFirstLevel(output: string): number {
  const match = /\{"firstLevel": (\d+)\}/.exec(output);
  if (match === null) throw new ToroError("GDB did not show the kernel thread", output.trim().slice(0, 200));
  return Number(match[1]);
}

export class KernelThreads {
  private installation: Promise<void> | undefined;
  private table: Promise<KernelThread[]> | undefined;
  private shown: KernelThreadView | undefined;

  constructor(private readonly gdb: GdbClient) {
    gdb.on("running", () => {
      this.table = undefined;
      this.shown = undefined; // GDB's side hides itself on its `cont` event
    });
  }

  /** The kernel's live threads at this stop (read once per stop). */
  list(): Promise<KernelThread[]> {
    this.table ??= this.console("python toro_kernel_threads.table()").then(parseThreadTable);
    const table = this.table;
    table.catch(() => {
      if (this.table === table) this.table = undefined; // try again at the next request
    });
    return table;
  }

  async find(threadId: number): Promise<KernelThread> {
    const thread = (await this.list()).find((candidate) => candidate.id === threadId);
    if (thread === undefined) throw new ToroError(`kernel thread ${threadId} does not exist at this stop`);
    return thread;
  }

  /** Makes GDB unwind kernel thread `threadId` (see the header); undefined: the vCPUs' own stacks again. */
  async show(threadId: number | undefined): Promise<KernelThreadView | undefined> {
    if (threadId === this.shown?.threadId) return this.shown;
    if (threadId === undefined) {
      await this.console("python toro_kernel_threads.hide()");
      this.shown = undefined;
      return undefined;
    }
    const thread = await this.find(threadId);
    if (thread.state === "running") {
      throw new ToroError(
        `kernel thread ${threadId} (${thread.name}) is running on CPU ${thread.core}: its stack is that vCPU's`,
      );
    }
    const gdbThreadId = threadIdForCpu(thread.core);
    this.shown = undefined;
    const output = await this.console(`python toro_kernel_threads.show(${gdbThreadId}, ${thread.context})`);
    this.shown = { threadId, gdbThreadId, firstLevel: parseFirstLevel(output) };
    return this.shown;
  }

  private async console(command: string): Promise<string> {
    this.installation ??= executeConsoleCommand(this.gdb, installUnwinderCommand()).then(() => undefined);
    const installation = this.installation;
    await installation.catch((error: unknown) => {
      if (this.installation === installation) this.installation = undefined;
      throw error;
    });
    return executeConsoleCommand(this.gdb, command);
  }
}
