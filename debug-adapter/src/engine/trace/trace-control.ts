// trace-control.ts - turns the kernel's event trace on, off or to a set of kinds while the guest runs, from
// the host: the kernel reads `toro_telemetry.trace.enabled_kinds` at every hook (kernel/include/trace.h), so
// writing that one word in the guest RAM file is the whole switch - no VM stop, no GDB. The same groups as
// the kernel's trace= (kernel/core/trace.c). Used by the benchmark's trace-cost row; a debug session can
// use it the same way.

import * as fs from "node:fs";
import { HEADER_LAYOUT, TRACE_HEADER_LAYOUT, TRACE_MAGIC } from "../telemetry/layout";
import { TRACE_GROUPS, TRACE_KINDS } from "./trace-events";

const kind = (name: (typeof TRACE_KINDS)[number]) => 1 << TRACE_KINDS.indexOf(name);

/** trace= groups and their kinds, as kernel/core/trace.c's table. */
const GROUP_KINDS: Record<(typeof TRACE_GROUPS)[number], number> = {
  sched: kind("switch-in") | kind("switch-out"),
  halt: kind("halt-enter") | kind("halt-exit"),
  ipi: kind("ipi-sent") | kind("ipi-received"),
  irq: kind("interrupt"),
  lock: kind("lock-contended") | kind("lock-acquired"),
  timer: kind("timer-armed") | kind("timer-fired"),
  thread: kind("thread-created") | kind("thread-exited"),
  mark: kind("mark"),
};
export const ALL_TRACE_KINDS = ((1 << TRACE_KINDS.length) - 1) & ~1;

/** The enabled_kinds word for a trace= setting ("on", "off", "sched,halt"); throws a one-line error. */
export function traceKindsFor(setting: string): number {
  if (setting === "off") return 0;
  if (setting === "on") return ALL_TRACE_KINDS;
  let kinds = 0;
  for (const word of setting.split(",")) {
    const group = GROUP_KINDS[word as keyof typeof GROUP_KINDS];
    if (group === undefined) {
      throw new Error(
        `trace setting "${setting}": unknown group "${word}", expected on, off or a comma list of ${TRACE_GROUPS.join(", ")}`,
      );
    }
    kinds |= group;
  }
  return kinds | kind("panic");
}

/** Reads and writes enabled_kinds in a guest RAM file. */
export class TraceSwitch {
  private descriptor: number | undefined;
  private readonly kindsAddress: number;

  /** Throws when the kernel has no trace section (yet): call it after the ready line. */
  constructor(ramPath: string, blockAddress: number) {
    this.descriptor = fs.openSync(ramPath, "r+");
    try {
      const header = this.read(blockAddress, HEADER_LAYOUT.size);
      const traceOffset = header.readUInt32LE(HEADER_LAYOUT.fields.trace_offset.offset);
      const magic = traceOffset === 0 ? 0n : this.read(blockAddress + traceOffset, 8).readBigUInt64LE(0);
      if (magic !== TRACE_MAGIC) throw new Error(`${ramPath}: the kernel has no event trace section`);
      this.kindsAddress = blockAddress + traceOffset + TRACE_HEADER_LAYOUT.fields.enabled_kinds.offset;
    } catch (error) {
      this.close();
      throw error;
    }
  }

  get kinds(): number {
    return this.read(this.kindsAddress, 4).readUInt32LE(0);
  }

  set kinds(value: number) {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(value >>> 0);
    fs.writeSync(this.open(), bytes, 0, 4, this.kindsAddress);
  }

  close(): void {
    if (this.descriptor !== undefined) fs.closeSync(this.descriptor);
    this.descriptor = undefined;
  }

  private read(address: number, length: number): Buffer {
    const bytes = Buffer.alloc(length);
    fs.readSync(this.open(), bytes, 0, length, address);
    return bytes;
  }

  private open(): number {
    if (this.descriptor === undefined) throw new Error("the trace switch is closed");
    return this.descriptor;
  }
}
