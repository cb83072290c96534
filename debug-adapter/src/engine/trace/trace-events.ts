// trace-events.ts - the kernel's trace events as the engine sees them: kind and wake-reason names (indexed
// by the C enum values of kernel/include/telemetry_abi.h, pinned by test/unit/layout.test.ts through
// layout.ts's C_ENUMERATORS) and the decoding of one 16-byte event. Pairs with trace-drain.ts (which reads
// them from guest RAM) and core-timeline.ts (which turns them into intervals).

import { TRACE_EVENT_LAYOUT } from "../telemetry/layout";

/** enum toro_trace_kind, indexed by value. */
export const TRACE_KINDS = [
  "none",
  "switch-in",
  "switch-out",
  "halt-enter",
  "halt-exit",
  "ipi-sent",
  "ipi-received",
  "interrupt",
  "lock-contended",
  "lock-acquired",
  "timer-armed",
  "timer-fired",
  "thread-created",
  "thread-exited",
  "panic",
  "mark",
] as const;
export type TraceKind = (typeof TRACE_KINDS)[number] | "unknown";

/** enum toro_wake_reason, indexed by value: what ended a halt (the first interrupt taken while halted). */
export const WAKE_REASONS = ["unknown", "timer", "ipi", "device", "poll-recheck"] as const;
export type WakeReason = (typeof WAKE_REASONS)[number];

/** The arg of IPI and lock events when the kernel did not know the core or the lock. */
export const UNKNOWN_ARG = 0xffff;

/** One event of one core's ring. `index` counts the core's events since boot (the ring head's numbering). */
export interface TraceEvent {
  core: number;
  index: number;
  /** The writing core's TSC. A JavaScript number: exact below 2^53 cycles (~50 days at 2 GHz). */
  tsc: number;
  kind: TraceKind;
  /** Per kind (telemetry_abi.h): polling flag, new thread state, enum toro_wake_reason, timer stopped. */
  detail: number;
  /** Per kind: a core, a vector or a lock index (UNKNOWN_ARG when unknown). */
  arg: number;
  /** Per kind: a thread id, cycles spun, microseconds until a one-shot. */
  value: number;
}

export function decodeTraceEvent(buffer: Buffer, at: number, core: number, index: number): TraceEvent {
  const f = TRACE_EVENT_LAYOUT.fields;
  const kindValue = buffer.readUInt8(at + f.kind.offset);
  return {
    core,
    index,
    tsc: Number(buffer.readBigUInt64LE(at + f.tsc.offset)),
    kind: TRACE_KINDS[kindValue] ?? "unknown",
    detail: buffer.readUInt8(at + f.detail.offset),
    arg: buffer.readUInt16LE(at + f.arg.offset),
    value: buffer.readUInt32LE(at + f.value.offset),
  };
}

export function wakeReasonName(detail: number): WakeReason {
  return WAKE_REASONS[detail] ?? "unknown";
}

/** trace= groups (kernel/core/trace.c), for messages and the --trace option's help. */
export const TRACE_GROUPS = ["sched", "halt", "ipi", "irq", "lock", "timer", "thread", "mark"] as const;
