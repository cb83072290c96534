// core-timeline.ts - turns each core's trace events into what a timeline shows: intervals (a thread running,
// a halt with its wake reason, a spin on a lock), instants (interrupts, timers, thread lifecycle, marks) and
// cross-core flows (an IPI sent on one core and received on another). One pass per core, in event order.
// chrome-trace.ts draws it, trace-analysis.ts measures it. Pairs with trace-events.ts.

import { TraceEvent, UNKNOWN_ARG, WakeReason, wakeReasonName } from "./trace-events";

export type IntervalKind = "thread" | "halt" | "lock-spin";

export interface Interval {
  core: number;
  kind: IntervalKind;
  startTsc: number;
  endTsc: number;
  /** The start (or end) was before (after) the window: it is clipped to the window's edge. */
  openStart: boolean;
  openEnd: boolean;
  /** thread: its id, and whether it only polls; halt: a polling halt or not. */
  threadId?: number;
  polling?: boolean;
  /** halt: what ended it, and the sending core (IPI) or vector (device); null when unknown or still open. */
  wakeReason?: WakeReason | null;
  wakeSource?: number | null;
  /** lock-spin: the lock's index in the telemetry lock table (null when unregistered), cycles spun. */
  lock?: number | null;
}

export interface Flow {
  id: number;
  fromCore: number;
  toCore: number;
  sentTsc: number;
  receivedTsc: number;
}

export interface Timeline {
  startTsc: number;
  endTsc: number;
  cores: number[];
  intervals: Interval[];
  /** Events shown as points: everything that does not open or close an interval. */
  instants: TraceEvent[];
  flows: Flow[];
}

const OPENERS: Partial<Record<TraceEvent["kind"], IntervalKind>> = {
  "switch-in": "thread",
  "halt-enter": "halt",
  "lock-contended": "lock-spin",
};
const CLOSERS: Partial<Record<TraceEvent["kind"], IntervalKind>> = {
  "switch-out": "thread",
  "halt-exit": "halt",
  "lock-acquired": "lock-spin",
};

/**
 * `eventsByCore`: each core's events oldest first (TraceDrain.eventsByCore). The window runs from the
 * earliest to the latest event of any core unless given; intervals still open at its end are clipped.
 */
export function buildTimeline(
  eventsByCore: Map<number, TraceEvent[]>,
  window?: { startTsc: number; endTsc: number },
): Timeline {
  let startTsc = window?.startTsc ?? Infinity;
  let endTsc = window?.endTsc ?? -Infinity;
  if (window === undefined) {
    for (const events of eventsByCore.values()) {
      if (events.length === 0) continue;
      startTsc = Math.min(startTsc, events[0].tsc);
      endTsc = Math.max(endTsc, events[events.length - 1].tsc);
    }
  }
  if (!Number.isFinite(startTsc)) startTsc = endTsc = 0;
  const intervals: Interval[] = [];
  const instants: TraceEvent[] = [];
  const cores = [...eventsByCore.keys()].sort((a, b) => a - b);
  for (const core of cores) {
    const open = new Map<IntervalKind, Interval>();
    for (const event of eventsByCore.get(core)!) {
      const opens = OPENERS[event.kind];
      const closes = CLOSERS[event.kind];
      if (opens !== undefined) {
        const previous = open.get(opens);
        if (previous !== undefined) {
          previous.endTsc = event.tsc; // a lost close
          previous.openEnd = true;
          intervals.push(previous);
        }
        const interval = describe(core, opens, event);
        interval.startTsc = interval.endTsc = event.tsc;
        open.set(opens, interval);
      } else if (closes !== undefined) {
        let interval = open.get(closes);
        if (interval === undefined) {
          interval = describe(core, closes, event);
          interval.startTsc = startTsc;
          interval.openStart = true;
        }
        open.delete(closes);
        interval.endTsc = event.tsc;
        if (closes === "halt") {
          interval.wakeReason = wakeReasonName(event.detail);
          interval.wakeSource = event.arg === UNKNOWN_ARG ? null : event.arg;
        }
        intervals.push(interval);
      } else {
        instants.push(event);
      }
    }
    for (const interval of open.values()) {
      interval.endTsc = Math.max(endTsc, interval.startTsc);
      interval.openEnd = true;
      intervals.push(interval);
    }
  }
  intervals.sort((a, b) => a.core - b.core || a.startTsc - b.startTsc);
  return { startTsc, endTsc, cores, intervals, instants, flows: matchIpis(instants) };
}

/** A new interval of `kind` described by `event` (times 0, not clipped): the caller sets the times. */
function describe(core: number, kind: IntervalKind, event: TraceEvent): Interval {
  const interval: Interval = { core, kind, startTsc: 0, endTsc: 0, openStart: false, openEnd: false };
  switch (kind) {
    case "thread":
      interval.threadId = event.value;
      interval.polling = event.kind === "switch-in" ? event.detail === 1 : false;
      break;
    case "halt":
      interval.polling = event.kind === "halt-enter" ? event.detail === 1 : false;
      interval.wakeReason = null;
      interval.wakeSource = null;
      break;
    default:
      interval.lock = event.arg === UNKNOWN_ARG ? null : event.arg;
  }
  return interval;
}

/**
 * Pairs each IPI sent (core A, target B) with the first IPI received on B from A at or after it. The kernel
 * records one sender per wake-up (the last of several racing ones), so an unmatched send is not an error.
 */
function matchIpis(instants: TraceEvent[]): Flow[] {
  /** Received IPIs by "receiver:sender", oldest first, with a cursor: sends are visited in time order. */
  const received = new Map<string, { events: TraceEvent[]; cursor: number }>();
  for (const event of instants) {
    if (event.kind !== "ipi-received" || event.arg === UNKNOWN_ARG) continue;
    const key = `${event.core}:${event.arg}`;
    const entry = received.get(key) ?? { events: [], cursor: 0 };
    entry.events.push(event);
    received.set(key, entry);
  }
  for (const entry of received.values()) entry.events.sort((a, b) => a.tsc - b.tsc);
  const flows: Flow[] = [];
  const sent = instants.filter((event) => event.kind === "ipi-sent").sort((a, b) => a.tsc - b.tsc);
  for (const event of sent) {
    const entry = received.get(`${event.arg}:${event.core}`);
    if (entry === undefined) continue;
    while (entry.cursor < entry.events.length && entry.events[entry.cursor].tsc < event.tsc) entry.cursor++;
    const match = entry.events[entry.cursor];
    if (match === undefined) continue;
    entry.cursor++;
    flows.push({
      id: flows.length + 1,
      fromCore: event.core,
      toCore: match.core,
      sentTsc: event.tsc,
      receivedTsc: match.tsc,
    });
  }
  return flows;
}
