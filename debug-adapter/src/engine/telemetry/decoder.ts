// decoder.ts - decodes the telemetry block through a read(offset, length) function (RAM file, or a buffer in
// tests): validates the header (header-validation.ts), then copies each record under its sequence counter
// and retries while the counter was odd or changed. A record that never settles is returned with torn: true.
// Never throws for bad data: the result is a TelemetrySnapshot or { unreadable: reason } (snapshot.ts).

import { performance } from "node:perf_hooks";
import { CORE_LAYOUT, HEADER_LAYOUT } from "./layout";
import { Section, validateHeader } from "./header-validation";
import { decodeCore, decodeGlobal, decodeLock, decodeThread } from "./record-decoding";
import { TelemetryReadResult } from "./snapshot";

/**
 * Reads `length` bytes at `offset` from the start of the block. Returns a fresh copy (later guest writes must
 * not change it); fewer bytes than asked means the source ends there. May throw (the decoder reports it).
 */
export type ReadFunction = (offset: number, length: number) => Buffer;

export interface DecodeOptions {
  /** Attempts per record after the first bulk copy before it is reported torn; default 64. */
  maxRetries?: number;
  /** Host clock for hostTimeMs; default performance.now. */
  now?: () => number;
}

export const DEFAULT_MAX_RETRIES = 64;

export function decodeTelemetry(read: ReadFunction, options: DecodeOptions = {}): TelemetryReadResult {
  const now = options.now ?? (() => performance.now());
  try {
    return decodeOrExplain(read, options.maxRetries ?? DEFAULT_MAX_RETRIES, now);
  } catch (error) {
    return { unreadable: `reading the block failed: ${(error as Error).message}`, hostTimeMs: now() };
  }
}

function decodeOrExplain(read: ReadFunction, maxRetries: number, now: () => number): TelemetryReadResult {
  const geometry = validateHeader(read(0, HEADER_LAYOUT.size));
  if ("problem" in geometry) return { unreadable: geometry.problem, hostTimeMs: now() };

  // Seqlock read of the whole block at once: sequence numbers from a first copy, the records from a second,
  // the sequence numbers again from a third. Separate copies keep the reads ordered (within one copy the
  // host may move bytes in any order). A record is settled when its number was even and unchanged.
  const before = read(0, geometry.totalSize);
  const data = read(0, geometry.totalSize);
  const hostTimeMs = now();
  const after = read(0, geometry.totalSize);
  const shortest = Math.min(before.length, data.length, after.length);
  if (shortest < geometry.totalSize) {
    return {
      unreadable: `truncated: the block needs ${geometry.totalSize} bytes, only ${shortest} are readable`,
      hostTimeMs,
    };
  }
  const reader = new RecordReader(read, before, data, after, maxRetries);

  const globalCopy = reader.record(geometry.global, 0);
  const global = decodeGlobal(globalCopy.bytes, globalCopy.torn, geometry.abiVersion);

  const cores = [];
  for (let index = 0; index < geometry.cores.capacity; index++) {
    const onlineInBulkCopy =
      reader.bulkRecord(geometry.cores, index).readUInt32LE(CORE_LAYOUT.fields.online.offset) !== 0;
    if (index >= global.coresDetected && !onlineInBulkCopy) continue;
    const copy = reader.record(geometry.cores, index);
    cores.push(decodeCore(copy.bytes, index, copy.torn));
  }
  const locks = [];
  for (let index = 0; index < Math.min(global.locksRegistered, geometry.locks.capacity); index++) {
    const copy = reader.record(geometry.locks, index);
    locks.push(decodeLock(copy.bytes, index, copy.torn));
  }
  const threads = [];
  for (let slot = 0; slot < Math.min(global.threadSlotsUsed, geometry.threads.capacity); slot++) {
    const copy = reader.record(geometry.threads, slot);
    const thread = decodeThread(copy.bytes, slot, copy.torn);
    if (thread.state !== "free" && thread.id >= 0) threads.push(thread);
  }
  return {
    abiVersion: geometry.abiVersion,
    global,
    cores,
    locks,
    threads,
    tornRecords: reader.tornCount,
    hostTimeMs,
  };
}

/** Settled copies of single records, from the bulk copies when possible, else by re-reading the record. */
class RecordReader {
  tornCount = 0;

  constructor(
    private readonly read: ReadFunction,
    private readonly before: Buffer,
    private readonly data: Buffer,
    private readonly after: Buffer,
    private readonly maxRetries: number,
  ) {}

  bulkRecord(section: Section, index: number): Buffer {
    const offset = section.offset + index * section.recordSize;
    return this.data.subarray(offset, offset + section.recordSize);
  }

  record(section: Section, index: number): { bytes: Buffer; torn: boolean } {
    const offset = section.offset + index * section.recordSize;
    const sequence = this.before.readUInt32LE(offset);
    if (sequence % 2 === 0 && sequence === this.after.readUInt32LE(offset)) {
      return { bytes: this.bulkRecord(section, index), torn: false };
    }
    let bytes = this.bulkRecord(section, index);
    for (let attempt = 0; attempt < this.maxRetries; attempt++) {
      const first = this.read(offset, 4);
      const copy = this.read(offset, section.recordSize);
      const second = this.read(offset, 4);
      if (first.length < 4 || second.length < 4 || copy.length < section.recordSize) break;
      bytes = copy;
      const sequenceBefore = first.readUInt32LE(0);
      if (sequenceBefore % 2 === 0 && sequenceBefore === second.readUInt32LE(0))
        return { bytes, torn: false };
    }
    this.tornCount++;
    return { bytes, torn: true };
  }
}
