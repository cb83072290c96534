// panic-probe.ts - how a debug session notices that the kernel died. Three signals, strongest first:
//  1. a breakpoint on `panic_with_frame` (kernel/arch/panic.c), where panic() and every CPU exception end:
//     the VM stops before the report is printed, with the message and the trap frame as arguments;
//  2. the serial line `PANIC on cpu N: message` the kernel prints next;
//  3. the telemetry block's panic flag and message (set right after the report).
// 2 and 3 catch a panic the breakpoint missed (no symbol, a panic while panicking). Used by debug-target.ts.

import {
  cpuForThreadId,
  evaluateExpression,
  GdbError,
  insertBreakpoint,
  readMemory,
  type GdbClient,
} from "../../gdb";

/** The kernel function every panic and CPU exception goes through (message, trap frame). */
export const PANIC_FUNCTION = "panic_with_frame";
/** `frame->vector` of a panic() called from C (no CPU exception). */
const NO_VECTOR = 0xffffffffffffffffn;
const MESSAGE_BYTES = 256;
const SERIAL_PANIC = /^PANIC on cpu (\d+): (.*)$/;

/** x86 exception vector names (Intel SDM vol. 3, table 6-1). */
const VECTOR_NAMES: Record<number, string> = {
  0: "divide error (#DE)",
  1: "debug (#DB)",
  2: "NMI",
  3: "breakpoint (#BP)",
  4: "overflow (#OF)",
  5: "BOUND range exceeded (#BR)",
  6: "invalid opcode (#UD)",
  7: "device not available (#NM)",
  8: "double fault (#DF)",
  10: "invalid TSS (#TS)",
  11: "segment not present (#NP)",
  12: "stack-segment fault (#SS)",
  13: "general protection (#GP)",
  14: "page fault (#PF)",
  16: "x87 floating-point error (#MF)",
  17: "alignment check (#AC)",
  18: "machine check (#MC)",
  19: "SIMD floating-point (#XM)",
};

export interface KernelPanic {
  /** Core (= QEMU CPU index) that panicked. */
  core: number;
  message: string;
  /** Set for CPU exceptions: the vector and its name. */
  exception?: { vector: number; name: string };
}

/** Inserts the panic breakpoint; returns its number, or undefined when the kernel has no such function. */
export async function insertPanicBreakpoint(gdb: GdbClient): Promise<number | undefined> {
  try {
    const record = await insertBreakpoint(gdb, { location: { kind: "function", name: PANIC_FUNCTION } });
    return record.locations.length > 0 ? record.number : undefined;
  } catch (error) {
    if (error instanceof GdbError) return undefined; // "Function ... not defined": not a Toro kernel
    throw error;
  }
}

/** Reads the panic's message and vector at a stop on the panic breakpoint (arguments of PANIC_FUNCTION). */
export async function readPanicAtBreakpoint(gdb: GdbClient, threadId: number): Promise<KernelPanic> {
  const selector = { threadId, frameLevel: 0 };
  const core = cpuForThreadId(threadId);
  let message = "(the panic message could not be read)";
  try {
    const address = await evaluateExpression(gdb, "(unsigned long) message", selector);
    const blocks = await readMemory(gdb, BigInt(address.trim()), MESSAGE_BYTES);
    const bytes = blocks[0]?.bytes ?? Buffer.alloc(0);
    const end = bytes.indexOf(0);
    message = bytes.subarray(0, end < 0 ? bytes.length : end).toString("utf8");
  } catch {
    // keep the placeholder: the stop itself is what matters
  }
  let exception: KernelPanic["exception"];
  try {
    const vector = BigInt((await evaluateExpression(gdb, "frame->vector", selector)).trim());
    if (vector !== NO_VECTOR && vector < 256n) {
      const number = Number(vector);
      exception = { vector: number, name: VECTOR_NAMES[number] ?? `vector ${number}` };
    }
  } catch {
    // no trap frame readable: reported as a plain panic
  }
  return { core, message, exception };
}

/** Parses the kernel's `PANIC on cpu N: message` console line (without its `[cpuN] ` prefix). */
export function parsePanicLine(message: string): { core: number; message: string } | undefined {
  const match = SERIAL_PANIC.exec(message);
  return match === null ? undefined : { core: Number(match[1]), message: match[2] };
}

/**
 * The running-VM side of the watch: a panic seen on the serial line or in telemetry while the VM runs makes
 * the engine interrupt it, once per panic, unless the breakpoint already stopped there (reported) or panic
 * stops are off. The interrupt's SIGINT stop is then reported as that panic.
 */
export class PanicWatch {
  /** Whether panics stop the VM (the DAP exception filter). */
  enabled = true;
  private reported = false;
  private pendingPanic: KernelPanic | undefined;

  constructor(private readonly interruptVm: (panic: KernelPanic) => void) {}

  /** The panic the engine interrupted the VM for, until its stop is reported. */
  get pending(): KernelPanic | undefined {
    return this.pendingPanic;
  }

  observe(panic: KernelPanic, vmRunning: boolean): void {
    if (!this.enabled || this.reported || this.pendingPanic !== undefined || !vmRunning) return;
    this.pendingPanic = panic;
    this.interruptVm(panic);
  }

  /** A panic stop was reported (from the breakpoint or from the interrupt): the same panic stops only once. */
  markReported(): void {
    this.pendingPanic = undefined;
    this.reported = true;
  }

  /** After a VM reset: the next panic is a new one. */
  reset(): void {
    this.pendingPanic = undefined;
    this.reported = false;
  }
}
