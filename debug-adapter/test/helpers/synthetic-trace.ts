// synthetic-trace.ts - a guest RAM image in a Buffer holding a telemetry block with the optional trace
// section and per-core rings, written with the kernel's protocol (kernel/core/trace.c: event first, then
// head + 1), through layout.ts (pinned to the C header by layout.test.ts). For the trace unit tests.

import {
  HEADER_LAYOUT,
  TRACE_CONTROL_LAYOUT,
  TRACE_EVENT_LAYOUT,
  TRACE_HEADER_LAYOUT,
  TRACE_MAGIC,
  TRACE_VERSION,
} from "../../src/engine/telemetry/layout";
import { TRACE_KINDS, TraceKind } from "../../src/engine/trace/trace-events";

export const BLOCK_ADDRESS = 0x1000;
const TRACE_OFFSET = 0x100;
const CONTROL_OFFSET = TRACE_OFFSET + TRACE_HEADER_LAYOUT.size;
const RINGS_ADDRESS = 0x10000;

export class SyntheticTraceRam {
  readonly ram: Buffer;
  private readonly heads: number[];

  constructor(
    readonly cores: number,
    readonly ringCapacity: number,
    options: { withSection?: boolean; controlCapacity?: number } = {},
  ) {
    const controlCapacity = options.controlCapacity ?? 8;
    this.ram = Buffer.alloc(RINGS_ADDRESS + cores * ringCapacity * TRACE_EVENT_LAYOUT.size);
    this.heads = new Array<number>(cores).fill(0);
    if (options.withSection === false) return;
    this.ram.writeUInt32LE(TRACE_OFFSET, BLOCK_ADDRESS + HEADER_LAYOUT.fields.trace_offset.offset);
    const header = BLOCK_ADDRESS + TRACE_OFFSET;
    const f = TRACE_HEADER_LAYOUT.fields;
    this.ram.writeBigUInt64LE(TRACE_MAGIC, header + f.magic.offset);
    this.ram.writeUInt32LE(TRACE_VERSION, header + f.version.offset);
    this.ram.writeUInt32LE(TRACE_HEADER_LAYOUT.size, header + f.header_size.offset);
    this.ram.writeUInt32LE(TRACE_EVENT_LAYOUT.size, header + f.event_size.offset);
    this.ram.writeUInt32LE(ringCapacity, header + f.ring_capacity.offset);
    this.ram.writeUInt32LE(CONTROL_OFFSET, header + f.control_offset.offset);
    this.ram.writeUInt32LE(TRACE_CONTROL_LAYOUT.size, header + f.control_size.offset);
    this.ram.writeUInt32LE(controlCapacity, header + f.control_capacity.offset);
    this.ram.writeUInt32LE(0xfffe, header + f.enabled_kinds.offset);
    for (let core = 0; core < cores; core++) {
      const control = this.controlAddress(core);
      this.ram.writeBigUInt64LE(
        BigInt(this.ringAddress(core)),
        control + TRACE_CONTROL_LAYOUT.fields.ring_address.offset,
      );
      this.ram.writeUInt32LE(ringCapacity, control + TRACE_CONTROL_LAYOUT.fields.ring_capacity.offset);
    }
  }

  ringAddress(core: number): number {
    return RINGS_ADDRESS + core * this.ringCapacity * TRACE_EVENT_LAYOUT.size;
  }

  /** The kernel's writer: the event into slot head % N, then head + 1. */
  write(
    core: number,
    kind: TraceKind,
    tsc: number,
    fields: { detail?: number; arg?: number; value?: number } = {},
  ) {
    const head = this.heads[core];
    const at = this.ringAddress(core) + (head % this.ringCapacity) * TRACE_EVENT_LAYOUT.size;
    const f = TRACE_EVENT_LAYOUT.fields;
    this.ram.writeBigUInt64LE(BigInt(tsc), at + f.tsc.offset);
    this.ram.writeUInt8(TRACE_KINDS.indexOf(kind as (typeof TRACE_KINDS)[number]), at + f.kind.offset);
    this.ram.writeUInt8(fields.detail ?? 0, at + f.detail.offset);
    this.ram.writeUInt16LE(fields.arg ?? 0, at + f.arg.offset);
    this.ram.writeUInt32LE(fields.value ?? 0, at + f.value.offset);
    this.heads[core] = head + 1;
    this.ram.writeBigUInt64LE(
      BigInt(head + 1),
      this.controlAddress(core) + TRACE_CONTROL_LAYOUT.fields.head.offset,
    );
  }

  /** Marks numbered by their index on that core (value = index), a tsc per index. */
  writeMarks(core: number, count: number): void {
    for (let index = 0; index < count; index++) {
      const number = this.heads[core];
      this.write(core, "mark", 1000 + number, { value: number });
    }
  }

  read = (address: number, length: number): Buffer =>
    Buffer.from(this.ram.subarray(address, Math.min(address + length, this.ram.length)));

  private controlAddress(core: number): number {
    return BLOCK_ADDRESS + CONTROL_OFFSET + core * TRACE_CONTROL_LAYOUT.size;
  }
}
