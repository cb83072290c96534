// chrome-trace.ts - writes a timeline (core-timeline.ts) as a Chrome JSON trace (the Trace Event Format that
// ui.perfetto.dev and chrome://tracing open unchanged): one track per core ("core N", sorted by core), a
// slice per thread run, halt and lock spin, instant events for IPIs, interrupts, timers, thread lifecycle,
// panics and marks, and flow arrows from an IPI's sender to the core it woke. Times are microseconds since
// the window's start. Overruns per core go into the file's metadata (and a counter track), never dropped.

import { CoreTraceStatistics } from "./trace-drain";
import { Interval, Timeline } from "./core-timeline";
import { TraceEvent } from "./trace-events";

export interface ChromeTraceNames {
  /** Thread id -> name (from the telemetry thread table; threads that exited keep the last name seen). */
  threads: Map<number, string>;
  /** Lock index -> name (telemetry lock table). */
  locks: Map<number, string>;
}

export interface ChromeTraceEvent {
  name: string;
  ph: "X" | "i" | "M" | "s" | "f" | "C";
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: "t";
  id?: number;
  bp?: "e";
  args?: Record<string, unknown>;
}

/**
 * No displayTimeUnit: older Perfetto importers scaled every "ts" by it (microseconds read as nanoseconds),
 * newer ones ignore it; test/helpers/perfetto-json-check.ts checks the file against the importer's rules.
 */
export interface ChromeTraceFile {
  traceEvents: ChromeTraceEvent[];
  otherData: Record<string, unknown>;
}

const PID = 1;
/** Track (tid) of a core: 0 is kept free, since Perfetto treats tid == pid specially. */
export function coreTrack(core: number): number {
  return core + 2;
}

export function chromeTrace(
  timeline: Timeline,
  tscHz: number,
  names: ChromeTraceNames,
  statistics: CoreTraceStatistics[] = [],
): ChromeTraceFile {
  const micros = (tsc: number) => ((tsc - timeline.startTsc) / tscHz) * 1e6;
  const events: ChromeTraceEvent[] = [
    { name: "process_name", ph: "M", pid: PID, tid: 0, args: { name: "toro guest" } },
  ];
  for (const core of timeline.cores) {
    const tid = coreTrack(core);
    events.push({ name: "thread_name", ph: "M", pid: PID, tid, args: { name: `core ${core}` } });
    events.push({ name: "thread_sort_index", ph: "M", pid: PID, tid, args: { sort_index: core } });
  }
  for (const interval of timeline.intervals) {
    events.push({
      name: sliceName(interval, names),
      ph: "X",
      cat: interval.kind,
      pid: PID,
      tid: coreTrack(interval.core),
      ts: micros(interval.startTsc),
      dur: Math.max(0, micros(interval.endTsc) - micros(interval.startTsc)),
      args: sliceArguments(interval, names),
    });
  }
  for (const event of timeline.instants) {
    events.push({
      name: instantName(event, names),
      ph: "i",
      s: "t",
      cat: event.kind,
      pid: PID,
      tid: coreTrack(event.core),
      ts: micros(event.tsc),
      args: { detail: event.detail, arg: event.arg, value: event.value },
    });
  }
  for (const flow of timeline.flows) {
    const common = { name: "wake IPI", cat: "ipi", pid: PID, id: flow.id };
    events.push({ ...common, ph: "s", tid: coreTrack(flow.fromCore), ts: micros(flow.sentTsc) });
    events.push({ ...common, ph: "f", bp: "e", tid: coreTrack(flow.toCore), ts: micros(flow.receivedTsc) });
  }
  for (const core of statistics) {
    if (core.overruns === 0) continue;
    events.push({
      name: `overruns core ${core.core}`,
      ph: "C",
      pid: PID,
      tid: 0,
      ts: micros(timeline.endTsc),
      args: { events: core.overruns },
    });
  }
  return {
    traceEvents: events,
    otherData: {
      source: 'toro event trace (kernel/README.md "Event trace")',
      tscHz,
      windowStartTsc: timeline.startTsc,
      windowEndTsc: timeline.endTsc,
      cores: statistics.map(({ core, written, drained, overruns, evicted }) => ({
        core,
        written,
        drained,
        overruns,
        evicted,
      })),
    },
  };
}

function threadName(id: number | undefined, names: ChromeTraceNames): string {
  return id === undefined ? "thread ?" : (names.threads.get(id) ?? `thread ${id}`);
}

function lockName(index: number | null | undefined, names: ChromeTraceNames): string {
  if (index === null || index === undefined) return "unregistered lock";
  return names.locks.get(index) ?? `lock ${index}`;
}

export function sliceName(interval: Interval, names: ChromeTraceNames): string {
  switch (interval.kind) {
    case "thread":
      return interval.polling
        ? `${threadName(interval.threadId, names)} (polling)`
        : threadName(interval.threadId, names);
    case "halt":
      return interval.polling ? "halted (polling)" : "halted";
    default:
      return `spin on ${lockName(interval.lock, names)}`;
  }
}

function sliceArguments(interval: Interval, names: ChromeTraceNames): Record<string, unknown> {
  const clipped = { clippedStart: interval.openStart, clippedEnd: interval.openEnd };
  switch (interval.kind) {
    case "thread":
      return { ...clipped, thread: interval.threadId, polling: interval.polling };
    case "halt":
      return {
        ...clipped,
        wakeReason: interval.wakeReason,
        ...(interval.wakeReason === "ipi" ? { fromCore: interval.wakeSource } : {}),
        ...(interval.wakeReason === "device" ? { vector: interval.wakeSource } : {}),
      };
    default:
      return { ...clipped, lock: lockName(interval.lock, names) };
  }
}

export function instantName(event: TraceEvent, names: ChromeTraceNames): string {
  switch (event.kind) {
    case "ipi-sent":
      return `IPI to core ${event.arg}`;
    case "ipi-received":
      return event.arg === 0xffff ? "IPI received" : `IPI from core ${event.arg}`;
    case "interrupt":
      return `interrupt 0x${event.arg.toString(16)}`;
    case "timer-armed":
      return event.detail === 1 ? "timer stopped" : `timer armed +${event.value} us`;
    case "timer-fired":
      return "timer fired";
    case "thread-created":
      return `created ${threadName(event.value, names)} on core ${event.arg}`;
    case "thread-exited":
      return `exited ${threadName(event.value, names)}`;
    case "mark":
      return `mark ${event.value}`;
    default:
      return event.kind;
  }
}
