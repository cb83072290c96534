// trace-drain.ts - drains every core's event ring from guest RAM while the guest runs (no VM stop, no lock):
// finds the optional trace section through the telemetry header's trace_offset, validates it, and per core
// copies the events it has not seen, re-reads the head and drops those the kernel may have overwritten
// during the copy, counting every lost event as an overrun (never silently). Keeps a bounded window of
// decoded events in memory. Protocol and layout: kernel/README.md "Event trace", telemetry_abi.h; the
// in-guest twin is trace_read in kernel/core/trace.c. Pairs with trace-events.ts.

import { ReadFunction } from "../telemetry/decoder";
import {
  HEADER_LAYOUT,
  TRACE_CONTROL_LAYOUT,
  TRACE_EVENT_LAYOUT,
  TRACE_HEADER_LAYOUT,
  TRACE_MAGIC,
  TRACE_VERSION,
} from "../telemetry/layout";
import { decodeTraceEvent, TraceEvent } from "./trace-events";

/** Bytes at a guest physical address (RamFileSource.readPhysical); shorter past the end of RAM. */
export type PhysicalRead = (address: number, length: number) => Buffer;

/** Default bound of the in-memory window, all cores together (~100 bytes each: ~50 MB). */
export const DEFAULT_WINDOW_EVENTS = 500_000;
const MAX_RING_CAPACITY = 1 << 24;
const MAX_CONTROL_CAPACITY = 1024;

export interface TraceSection {
  ringCapacity: number;
  controlOffset: number;
  controlCapacity: number;
  enabledKinds: number;
  knownKinds: number;
}

/** Per core: what the drain has seen. */
export interface CoreTraceStatistics {
  core: number;
  /** Events the core has written since boot (its ring head). */
  written: number;
  /** Events copied out of the ring. */
  drained: number;
  /** Events overwritten before they could be read (the reader fell more than a ring behind). */
  overruns: number;
  /** Drained events dropped from the window to keep it bounded (they were seen, not lost in the guest). */
  evicted: number;
  inWindow: number;
}

export interface DrainResult {
  /** Events added to the window by this drain. */
  added: number;
  /** Why nothing could be drained (no trace section yet, a bad header); null when it worked. */
  problem: string | null;
}

interface CoreState {
  ringAddress: number;
  next: number;
  written: number;
  drained: number;
  overruns: number;
  evicted: number;
  window: TraceEvent[];
}

/** Reads and validates the trace header, or says why there is none (yet). */
export function locateTraceSection(readBlock: ReadFunction): TraceSection | { problem: string } {
  const header = readBlock(0, HEADER_LAYOUT.size);
  if (header.length < HEADER_LAYOUT.size) return { problem: "the telemetry header is not readable" };
  const traceOffset = header.readUInt32LE(HEADER_LAYOUT.fields.trace_offset.offset);
  if (traceOffset === 0) return { problem: "this kernel has no event trace (or has not initialised it yet)" };
  const trace = readBlock(traceOffset, TRACE_HEADER_LAYOUT.size);
  if (trace.length < TRACE_HEADER_LAYOUT.size) return { problem: "the trace header is not readable" };
  const f = TRACE_HEADER_LAYOUT.fields;
  const magic = trace.readBigUInt64LE(f.magic.offset);
  if (magic !== TRACE_MAGIC)
    return { problem: `bad trace magic 0x${magic.toString(16)} ("TORTRACE" expected)` };
  const version = trace.readUInt32LE(f.version.offset);
  if (version !== TRACE_VERSION) {
    return { problem: `trace version ${version}, this engine reads version ${TRACE_VERSION}` };
  }
  const sizes: [keyof typeof f, number][] = [
    ["header_size", TRACE_HEADER_LAYOUT.size],
    ["event_size", TRACE_EVENT_LAYOUT.size],
    ["control_size", TRACE_CONTROL_LAYOUT.size],
  ];
  for (const [field, expected] of sizes) {
    const value = trace.readUInt32LE(f[field].offset);
    if (value !== expected)
      return { problem: `trace header field ${field} is ${value}, expected ${expected}` };
  }
  const ringCapacity = trace.readUInt32LE(f.ring_capacity.offset);
  if (ringCapacity < 2 || ringCapacity > MAX_RING_CAPACITY || (ringCapacity & (ringCapacity - 1)) !== 0) {
    return {
      problem: `trace ring_capacity ${ringCapacity} is not a power of two from 2 to ${MAX_RING_CAPACITY}`,
    };
  }
  const controlCapacity = trace.readUInt32LE(f.control_capacity.offset);
  if (controlCapacity < 1 || controlCapacity > MAX_CONTROL_CAPACITY) {
    return { problem: `trace control_capacity ${controlCapacity}, expected 1 to ${MAX_CONTROL_CAPACITY}` };
  }
  return {
    ringCapacity,
    controlOffset: trace.readUInt32LE(f.control_offset.offset),
    controlCapacity,
    enabledKinds: trace.readUInt32LE(f.enabled_kinds.offset),
    knownKinds: trace.readUInt32LE(f.known_kinds.offset),
  };
}

export class TraceDrain {
  private section: TraceSection | null = null;
  private readonly cores = new Map<number, CoreState>();

  /**
   * `readPhysical` reads guest RAM; `blockAddress` is toro_telemetry's physical address (locate-block.ts).
   * `windowEvents` bounds the events kept, all cores together (oldest dropped first, per core).
   */
  constructor(
    private readonly readPhysical: PhysicalRead,
    private readonly blockAddress: number,
    private readonly windowEvents = DEFAULT_WINDOW_EVENTS,
  ) {}

  /** The validated section, once a drain found it. */
  get traceSection(): TraceSection | null {
    return this.section;
  }

  /** Copies every core's new events into the window. Never throws for guest content; says why instead. */
  drain(): DrainResult {
    if (this.section === null) {
      const found = locateTraceSection((offset, length) =>
        this.readPhysical(this.blockAddress + offset, length),
      );
      if ("problem" in found) return { added: 0, problem: found.problem };
      this.section = found;
    }
    const section = this.section;
    const before = this.readControls(section);
    if (before === null) return { added: 0, problem: "the trace control records are not readable" };
    const copies: { core: number; head: number; first: number; bytes: Buffer }[] = [];
    for (const [core, control] of before) {
      const state = this.stateOf(core, control.ringAddress);
      if (control.head < state.next) state.next = 0; // the guest rebooted: its numbering restarted
      // The slot the writer fills next (maybe right now) is never read: N - 1 events are readable.
      const first = Math.max(state.next, control.head - (section.ringCapacity - 1));
      copies.push({
        core,
        head: control.head,
        first,
        bytes: this.copyRing(section, state, first, control.head),
      });
    }
    const after = this.readControls(section);
    let added = 0;
    for (const copy of copies) {
      const state = this.cores.get(copy.core)!;
      const headNow = after?.get(copy.core)?.head ?? copy.head;
      const validFrom = headNow >= section.ringCapacity ? headNow - section.ringCapacity + 1 : 0;
      const count = copy.head - copy.first;
      const skip = Math.min(Math.max(validFrom - copy.first, 0), count);
      state.overruns += copy.first + skip - state.next;
      for (let index = copy.first + skip; index < copy.head; index++) {
        const at = (index - copy.first) * TRACE_EVENT_LAYOUT.size;
        if (at + TRACE_EVENT_LAYOUT.size > copy.bytes.length) break;
        state.window.push(decodeTraceEvent(copy.bytes, at, copy.core, index));
        added++;
      }
      state.drained += count - skip;
      state.written = headNow;
      state.next = copy.head;
    }
    this.bound();
    return { added, problem: null };
  }

  /** The window's events of one core (oldest first), or of every core in core order. */
  events(core?: number): TraceEvent[] {
    if (core !== undefined) return [...(this.cores.get(core)?.window ?? [])];
    return [...this.cores.keys()].sort((a, b) => a - b).flatMap((index) => this.cores.get(index)!.window);
  }

  /** Per-core events of the window, keyed by core. */
  eventsByCore(): Map<number, TraceEvent[]> {
    return new Map(
      [...this.cores.entries()].sort(([a], [b]) => a - b).map(([core, state]) => [core, state.window]),
    );
  }

  statistics(): CoreTraceStatistics[] {
    return [...this.cores.entries()]
      .sort(([a], [b]) => a - b)
      .map(([core, state]) => ({
        core,
        written: state.written,
        drained: state.drained,
        overruns: state.overruns,
        evicted: state.evicted,
        inWindow: state.window.length,
      }));
  }

  private stateOf(core: number, ringAddress: number): CoreState {
    let state = this.cores.get(core);
    if (state === undefined) {
      state = { ringAddress, next: 0, written: 0, drained: 0, overruns: 0, evicted: 0, window: [] };
      this.cores.set(core, state);
    }
    return state;
  }

  /** head and ring address of every core that has a ring. */
  private readControls(section: TraceSection): Map<number, { head: number; ringAddress: number }> | null {
    const size = TRACE_CONTROL_LAYOUT.size;
    const bytes = this.readPhysical(
      this.blockAddress + section.controlOffset,
      section.controlCapacity * size,
    );
    if (bytes.length < section.controlCapacity * size) return null;
    const f = TRACE_CONTROL_LAYOUT.fields;
    const controls = new Map<number, { head: number; ringAddress: number }>();
    for (let core = 0; core < section.controlCapacity; core++) {
      const at = core * size;
      const ringAddress = Number(bytes.readBigUInt64LE(at + f.ring_address.offset));
      const capacity = bytes.readUInt32LE(at + f.ring_capacity.offset);
      if (ringAddress === 0 || capacity !== section.ringCapacity) continue;
      controls.set(core, { head: Number(bytes.readBigUInt64LE(at + f.head.offset)), ringAddress });
    }
    return controls;
  }

  /** The slots of events [first, head) in order, in one or two reads (the ring wraps). */
  private copyRing(section: TraceSection, state: CoreState, first: number, head: number): Buffer {
    const count = head - first;
    if (count <= 0) return Buffer.alloc(0);
    const size = TRACE_EVENT_LAYOUT.size;
    const slot = first % section.ringCapacity;
    const beforeWrap = Math.min(count, section.ringCapacity - slot);
    const firstPart = this.readPhysical(state.ringAddress + slot * size, beforeWrap * size);
    if (beforeWrap === count) return firstPart;
    return Buffer.concat([firstPart, this.readPhysical(state.ringAddress, (count - beforeWrap) * size)]);
  }

  /** Keeps the window within windowEvents: each core keeps at most its share, its newest events. */
  private bound(): void {
    const share = Math.max(1000, Math.floor(this.windowEvents / Math.max(1, this.cores.size)));
    for (const state of this.cores.values()) {
      if (state.window.length <= share) continue;
      const excess = state.window.length - share;
      state.window.splice(0, excess);
      state.evicted += excess;
    }
  }
}
