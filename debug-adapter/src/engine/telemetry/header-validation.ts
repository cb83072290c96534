// header-validation.ts - checks the self-describing header of the telemetry block before anything else is
// trusted: magic, ABI version (any of SUPPORTED_ABI_VERSIONS), every size against layout.ts, capacities (read
// from the header: the reader never assumes the kernel's TORO_MAX_CPUS), and that each section lies inside
// the block without overlapping another. Returns the section geometry or a reason. Used by decoder.ts.

import {
  CORE_LAYOUT,
  GLOBAL_LAYOUT,
  HEADER_LAYOUT,
  LOCK_LAYOUT,
  NAME_LENGTH,
  SUPPORTED_ABI_VERSIONS,
  TELEMETRY_MAGIC,
  THREAD_LAYOUT,
} from "./layout";
import { readU32 } from "./record-decoding";

/** Upper bounds that keep a corrupted header from making the reader allocate or loop absurdly. */
export const MAX_BLOCK_SIZE = 16 * 1024 * 1024;
export const MAX_CORE_CAPACITY = 1024;
export const MAX_LOCK_CAPACITY = 65536;
export const MAX_THREAD_CAPACITY = 65536;

export interface Section {
  name: string;
  offset: number;
  recordSize: number;
  capacity: number;
}

export interface BlockGeometry {
  abiVersion: number;
  totalSize: number;
  global: Section;
  cores: Section;
  locks: Section;
  threads: Section;
}

export function validateHeader(header: Buffer): BlockGeometry | { problem: string } {
  const f = HEADER_LAYOUT.fields;
  if (header.length < HEADER_LAYOUT.size) {
    return {
      problem: `truncated: only ${header.length} of the ${HEADER_LAYOUT.size} header bytes are readable`,
    };
  }
  const magic = header.readBigUInt64LE(f.magic.offset);
  if (magic !== TELEMETRY_MAGIC) {
    if (header.every((byte) => byte === 0)) {
      return { problem: "the block is all zero: the kernel has not initialised its telemetry yet" };
    }
    return {
      problem: `bad magic 0x${magic.toString(16)}, expected 0x${TELEMETRY_MAGIC.toString(16)} ("TOROTELM")`,
    };
  }
  const abiVersion = readU32(header, f.abi_version);
  if (!SUPPORTED_ABI_VERSIONS.includes(abiVersion)) {
    return {
      problem: `ABI version ${abiVersion}, this engine decodes versions ${SUPPORTED_ABI_VERSIONS.join(", ")} (rebuild the kernel or update the engine)`,
    };
  }
  const expectedSizes: [keyof typeof f, number][] = [
    ["header_size", HEADER_LAYOUT.size],
    ["global_size", GLOBAL_LAYOUT.size],
    ["core_record_size", CORE_LAYOUT.size],
    ["lock_record_size", LOCK_LAYOUT.size],
    ["thread_record_size", THREAD_LAYOUT.size],
    ["name_length", NAME_LENGTH],
  ];
  for (const [field, expected] of expectedSizes) {
    const value = readU32(header, f[field]);
    if (value !== expected) return { problem: `header field ${field} is ${value}, expected ${expected}` };
  }
  const capacities: [keyof typeof f, number, number][] = [
    ["core_capacity", 1, MAX_CORE_CAPACITY],
    ["lock_capacity", 0, MAX_LOCK_CAPACITY],
    ["thread_capacity", 0, MAX_THREAD_CAPACITY],
  ];
  for (const [field, minimum, maximum] of capacities) {
    const value = readU32(header, f[field]);
    if (value < minimum || value > maximum) {
      return { problem: `header field ${field} is ${value}, expected ${minimum} to ${maximum}` };
    }
  }
  const totalSize = readU32(header, f.total_size);
  if (totalSize < HEADER_LAYOUT.size || totalSize > MAX_BLOCK_SIZE) {
    return {
      problem: `header field total_size is ${totalSize}, expected ${HEADER_LAYOUT.size} to ${MAX_BLOCK_SIZE}`,
    };
  }
  const sections: Section[] = [
    { name: "global", offset: readU32(header, f.global_offset), recordSize: GLOBAL_LAYOUT.size, capacity: 1 },
    section("cores", header, f.cores_offset.offset, CORE_LAYOUT.size, f.core_capacity.offset),
    section("locks", header, f.locks_offset.offset, LOCK_LAYOUT.size, f.lock_capacity.offset),
    section("threads", header, f.threads_offset.offset, THREAD_LAYOUT.size, f.thread_capacity.offset),
  ];
  for (const current of sections) {
    const end = current.offset + current.recordSize * current.capacity;
    if (current.offset % 8 !== 0 || current.offset < HEADER_LAYOUT.size || end > totalSize) {
      return {
        problem: `section ${current.name} at offset ${current.offset} (${current.capacity} x ${current.recordSize} bytes) does not fit 8-aligned between the header and total_size ${totalSize}`,
      };
    }
  }
  const sorted = [...sections].sort((a, b) => a.offset - b.offset);
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1];
    if (previous.offset + previous.recordSize * previous.capacity > sorted[index].offset) {
      return { problem: `sections ${previous.name} and ${sorted[index].name} overlap` };
    }
  }
  const [global, cores, locks, threads] = sections;
  return { abiVersion, totalSize, global, cores, locks, threads };
}

function section(
  name: string,
  header: Buffer,
  offsetAt: number,
  recordSize: number,
  capacityAt: number,
): Section {
  return {
    name,
    offset: header.readUInt32LE(offsetAt),
    recordSize,
    capacity: header.readUInt32LE(capacityAt),
  };
}
