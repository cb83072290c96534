// synthetic-block.ts - builds telemetry blocks in a Buffer the way the kernel lays them out (through
// layout.ts, itself pinned to the C header by layout.test.ts), for decoder tests: valid blocks, torn
// records, corrupted headers, truncated sources. `V1_CAPACITIES` builds the previous ABI's block (version 1:
// 16 cores, 128 threads, no hypervisor fields), which the decoder must keep reading.

import {
  CORE_LAYOUT,
  FieldLayout,
  GLOBAL_LAYOUT,
  HEADER_LAYOUT,
  LOCK_LAYOUT,
  MAX_CPUS,
  MAX_LOCKS,
  MAX_THREADS,
  NAME_LENGTH,
  TELEMETRY_ABI_VERSION,
  TELEMETRY_MAGIC,
  THREAD_LAYOUT,
} from "../../src/engine/telemetry/layout";
import { ReadFunction } from "../../src/engine/telemetry/decoder";

type Value = number | bigint | string;

export function writeField(buffer: Buffer, base: number, field: FieldLayout, value: Value): void {
  const at = base + field.offset;
  switch (field.kind) {
    case "u32":
      buffer.writeUInt32LE(Number(value), at);
      break;
    case "i32":
      buffer.writeInt32LE(Number(value), at);
      break;
    case "u64":
      buffer.writeBigUInt64LE(BigInt(value), at);
      break;
    default: {
      buffer.fill(0, at, at + field.size);
      buffer.write(String(value), at, field.size - 1, "utf8");
    }
  }
}

/** The ABI version and capacities of a block; the sections follow the header in this order, with no gaps. */
export interface BlockCapacities {
  abiVersion: number;
  cores: number;
  locks: number;
  threads: number;
}

export const CURRENT_CAPACITIES: BlockCapacities = {
  abiVersion: TELEMETRY_ABI_VERSION,
  cores: MAX_CPUS,
  locks: MAX_LOCKS,
  threads: MAX_THREADS,
};
/** ABI version 1 as the kernel wrote it before the 256-core change (TORO_MAX_CPUS 16, TORO_MAX_THREADS 128). */
export const V1_CAPACITIES: BlockCapacities = { abiVersion: 1, cores: 16, locks: 64, threads: 128 };

export const GLOBAL_OFFSET = HEADER_LAYOUT.size;
export const CORES_OFFSET = GLOBAL_OFFSET + GLOBAL_LAYOUT.size;

export class SyntheticBlock {
  readonly buffer: Buffer;
  readonly locksOffset: number;
  readonly threadsOffset: number;

  /** A valid, initialised block with `cores` online cores, all halted, and no locks or threads. */
  constructor(
    cores = 4,
    tscHz = 2_000_000_000,
    readonly capacities: BlockCapacities = CURRENT_CAPACITIES,
  ) {
    this.locksOffset = CORES_OFFSET + capacities.cores * CORE_LAYOUT.size;
    this.threadsOffset = this.locksOffset + capacities.locks * LOCK_LAYOUT.size;
    const totalSize = this.threadsOffset + capacities.threads * THREAD_LAYOUT.size;
    this.buffer = Buffer.alloc(totalSize);
    const header: [keyof typeof HEADER_LAYOUT.fields, Value][] = [
      ["magic", TELEMETRY_MAGIC],
      ["abi_version", capacities.abiVersion],
      ["total_size", totalSize],
      ["header_size", HEADER_LAYOUT.size],
      ["global_offset", GLOBAL_OFFSET],
      ["global_size", GLOBAL_LAYOUT.size],
      ["cores_offset", CORES_OFFSET],
      ["core_record_size", CORE_LAYOUT.size],
      ["core_capacity", capacities.cores],
      ["locks_offset", this.locksOffset],
      ["lock_record_size", LOCK_LAYOUT.size],
      ["lock_capacity", capacities.locks],
      ["threads_offset", this.threadsOffset],
      ["thread_record_size", THREAD_LAYOUT.size],
      ["thread_capacity", capacities.threads],
      ["name_length", NAME_LENGTH],
    ];
    for (const [field, value] of header) this.setHeader(field, value);
    this.setGlobal("seq", 2);
    this.setGlobal("idle_policy", 3);
    this.setGlobal("cores_detected", cores);
    this.setGlobal("cores_online", cores);
    this.setGlobal("tsc_hz", tscHz);
    this.setGlobal("boot_tsc", 1000);
    this.setGlobal("ready_tsc", 5000);
    this.setGlobal("panic_core", -1);
    this.setGlobal("cmdline", "idle=tickless");
    for (let index = 0; index < capacities.cores; index++) {
      this.setCore(index, "current_thread", -1);
      this.setCore(index, "spinning_lock", -1);
      if (index < cores) {
        this.setCore(index, "seq", 2);
        this.setCore(index, "online", 1);
        this.setCore(index, "apic_id", index);
        this.setCore(index, "state", 3);
      }
    }
    for (let slot = 0; slot < capacities.threads; slot++) this.setThread(slot, "id", -1);
    for (let index = 0; index < capacities.locks; index++) this.setLock(index, "owner_core", -1);
  }

  setHeader(field: keyof typeof HEADER_LAYOUT.fields, value: Value): this {
    writeField(this.buffer, 0, HEADER_LAYOUT.fields[field], value);
    return this;
  }
  setGlobal(field: keyof typeof GLOBAL_LAYOUT.fields, value: Value): this {
    writeField(this.buffer, GLOBAL_OFFSET, GLOBAL_LAYOUT.fields[field], value);
    return this;
  }
  setCore(index: number, field: keyof typeof CORE_LAYOUT.fields, value: Value): this {
    writeField(this.buffer, CORES_OFFSET + index * CORE_LAYOUT.size, CORE_LAYOUT.fields[field], value);
    return this;
  }
  setLock(index: number, field: keyof typeof LOCK_LAYOUT.fields, value: Value): this {
    writeField(this.buffer, this.locksOffset + index * LOCK_LAYOUT.size, LOCK_LAYOUT.fields[field], value);
    return this;
  }
  setThread(slot: number, field: keyof typeof THREAD_LAYOUT.fields, value: Value): this {
    writeField(
      this.buffer,
      this.threadsOffset + slot * THREAD_LAYOUT.size,
      THREAD_LAYOUT.fields[field],
      value,
    );
    return this;
  }

  /** A ReadFunction over the buffer as it is at each call (copies, like the RAM file reader). */
  reader(limit = this.buffer.length): ReadFunction {
    return (offset, length) => Buffer.from(this.buffer.subarray(offset, Math.min(offset + length, limit)));
  }
}
