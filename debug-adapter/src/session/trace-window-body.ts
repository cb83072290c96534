// trace-window-body.ts - translates the engine's trace window (engine/trace/trace-recorder.ts: timeline,
// names, statistics, analysis) into the compact toroTraceWindow body (protocol/trace-protocol.ts): per core,
// parallel arrays of intervals and markers in microseconds of guest time, every text once in a string table;
// limited, when asked, to a range and a pixel width (sub-pixel intervals merged with the timeline's own
// protocol/trace-lane-layout.ts). Pure; used by trace-session.ts.

import type { Interval } from "../engine/trace/core-timeline";
import type { TraceEvent } from "../engine/trace/trace-events";
import type { TraceWindow } from "../engine/trace/trace-recorder";
import { instantName, sliceName } from "../engine/trace/chrome-trace";
import type { ToroTraceLane, ToroTraceState, ToroTraceWindowBody } from "../protocol/trace-protocol";
import { TORO_TRACE_STATES } from "../protocol/trace-protocol";
import { indexLane, timeToX, visibleMarkers, visibleRects } from "../protocol/trace-lane-layout";

/** Appends each distinct text once; index() gives its position. */
class StringTable {
  readonly strings: string[] = [];
  private readonly indices = new Map<string, number>();

  index(text: string): number {
    let found = this.indices.get(text);
    if (found === undefined) {
      found = this.strings.length;
      this.strings.push(text);
      this.indices.set(text, found);
    }
    return found;
  }
}

/** What a toroTraceWindow request may limit the body to (ToroTraceWindowArguments, checked). */
export interface TraceWindowLimits {
  lastSeconds?: number;
  startMicroseconds?: number;
  endMicroseconds?: number;
  widthPx?: number;
}

/**
 * `enabledKinds`: the kernel's word read now (the window's own copy dates from the first drain);
 * `limits`: keep only what overlaps the last N seconds or a range, and with a pixel width merge what is
 * narrower than a column (trace-lane-layout.ts, as the timeline draws it). Texts are made only for what
 * is sent, so a limited body of a large window costs about its width, not the event count.
 */
export function traceWindowBody(
  window: TraceWindow,
  enabledKinds: number | null,
  limits: TraceWindowLimits = {},
): ToroTraceWindowBody {
  const { timeline, tscHz, names } = window;
  const ticksPerMicrosecond = tscHz / 1e6;
  // Rounded to nanoseconds: a third less JSON than full doubles for the same picture.
  const micros = (tsc: number) => Math.round((tsc / ticksPerMicrosecond) * 1000) / 1000;
  const endMicroseconds = micros(timeline.endTsc);
  const startMicroseconds =
    limits.lastSeconds === undefined
      ? micros(timeline.startTsc)
      : Math.max(micros(timeline.startTsc), endMicroseconds - limits.lastSeconds * 1e6);
  const ranged = limits.startMicroseconds !== undefined || limits.endMicroseconds !== undefined;
  const rangeStart = Math.max(startMicroseconds, limits.startMicroseconds ?? -Infinity);
  const rangeEnd = Math.max(rangeStart, Math.min(endMicroseconds, limits.endMicroseconds ?? Infinity));
  // The range the pixels divide (never empty, so a column has a width).
  const range = { start: rangeStart, end: Math.max(rangeEnd, rangeStart + 1e-3) };
  const widthPx = limits.widthPx;
  const strings = new StringTable();

  // timeline.intervals is sorted by core, then start: each lane's candidates come out sorted by start.
  const candidates = new Map<
    number,
    { intervals: Interval[]; start: number[]; end: number[]; state: number[] }
  >();
  for (const core of timeline.cores) candidates.set(core, { intervals: [], start: [], end: [], state: [] });
  for (const interval of timeline.intervals) {
    const end = micros(interval.endTsc);
    if (end < rangeStart) continue;
    const start = micros(interval.startTsc);
    if (start > rangeEnd) continue;
    const lane = candidates.get(interval.core)!;
    lane.intervals.push(interval);
    lane.start.push(start);
    lane.end.push(end);
    lane.state.push(TORO_TRACE_STATES.indexOf(stateOf(interval)));
  }
  const instantsByCore = new Map<number, TraceEvent[]>();
  for (const event of [...timeline.instants].sort((a, b) => a.tsc - b.tsc)) {
    const time = micros(event.tsc);
    if (time < rangeStart || time > rangeEnd || !candidates.has(event.core)) continue;
    let list = instantsByCore.get(event.core);
    if (list === undefined) instantsByCore.set(event.core, (list = []));
    list.push(event);
  }

  const lanes: ToroTraceLane[] = [];
  for (const core of timeline.cores) {
    const statistics = window.statistics.find((entry) => entry.core === core);
    const lane: ToroTraceLane = {
      core,
      start: [],
      end: [],
      state: [],
      label: [],
      detail: [],
      markerTime: [],
      markerKind: [],
      markerLabel: [],
      written: statistics?.written ?? 0,
      drained: statistics?.drained ?? 0,
      overruns: statistics?.overruns ?? 0,
      evicted: statistics?.evicted ?? 0,
    };
    lanes.push(lane);
    const found = candidates.get(core)!;
    const push = (index: number, start: number, end: number, state: number, merged: number) => {
      const interval = found.intervals[index];
      lane.start.push(start);
      lane.end.push(end);
      lane.state.push(state);
      lane.label.push(strings.index(sliceName(interval, names)));
      const fields = describeInterval(interval, names);
      lane.detail.push(
        strings.index(merged > 1 ? `${fields}; ${merged} intervals merged (zoom in to see each)` : fields),
      );
      lane.merged?.push(merged);
    };
    const instants = instantsByCore.get(core) ?? [];
    const kinds = instants.map((event) => strings.index(event.kind));
    const pushMarker = (index: number, count: number) => {
      const event = instants[index];
      lane.markerTime.push(micros(event.tsc));
      lane.markerKind.push(kinds[index]);
      lane.markerLabel.push(strings.index(instantName(event, names)));
      lane.markerCount?.push(count);
    };
    if (widthPx === undefined) {
      found.intervals.forEach((_, index) =>
        push(index, found.start[index], found.end[index], found.state[index], 1),
      );
      instants.forEach((_, index) => pushMarker(index, 1));
      continue;
    }
    lane.merged = [];
    lane.markerCount = [];
    const indexed = indexLane(found);
    const rects = indexed.layers
      .flatMap((layer) => visibleRects(layer, found, range, widthPx))
      .sort((left, right) => left.start - right.start);
    for (const rect of rects) push(rect.index, rect.start, rect.end, rect.state, rect.count);
    const markerTime = instants.map((event) => micros(event.tsc));
    for (const mark of visibleMarkers({ markerTime, markerKind: kinds }, range, widthPx))
      pushMarker(mark.index, mark.count);
  }

  const flows: ToroTraceWindowBody["flows"] = { fromCore: [], toCore: [], sent: [], received: [] };
  const flowColumns = new Set<string>();
  for (const flow of timeline.flows) {
    const received = micros(flow.receivedTsc);
    const sent = micros(flow.sentTsc);
    if (received < rangeStart || sent > rangeEnd) continue;
    if (widthPx !== undefined) {
      // One arrow per pair of cores and pixel column of its head: more would paint the same pixels.
      const column = `${flow.fromCore}:${flow.toCore}:${Math.floor(timeToX(range, widthPx, received))}`;
      if (flowColumns.has(column)) continue;
      flowColumns.add(column);
    }
    flows.fromCore.push(flow.fromCore);
    flows.toCore.push(flow.toCore);
    flows.sent.push(sent);
    flows.received.push(received);
  }
  return {
    problem: window.problem,
    enabledKinds,
    tscHz,
    startMicroseconds,
    endMicroseconds,
    strings: strings.strings,
    view:
      ranged || widthPx !== undefined
        ? { startMicroseconds: rangeStart, endMicroseconds: rangeEnd, widthPx: widthPx ?? null }
        : null,
    lanes,
    flows,
    analysis: window.analysis.map((core) => ({
      ...core,
      haltLengths: core.haltLengths.map((bucket) => ({ ...bucket })),
      wakeupsPerSecond: { ...core.wakeupsPerSecond },
      notHalted: core.notHalted.map((reason) => ({ ...reason })),
    })),
  };
}

function stateOf(interval: Interval): ToroTraceState {
  switch (interval.kind) {
    case "thread":
      return interval.polling ? "polling" : "running";
    case "halt":
      return interval.polling ? "halted (polling)" : "halted";
    default:
      return "lock spin";
  }
}

/** The interval's event fields, one line. */
function describeInterval(interval: Interval, names: TraceWindow["names"]): string {
  const parts: string[] = [];
  switch (interval.kind) {
    case "thread":
      parts.push(`thread id ${interval.threadId ?? "?"}`);
      if (interval.polling) parts.push("polling thread");
      break;
    case "halt":
      if (interval.wakeReason === null || interval.wakeReason === undefined) parts.push("not woken yet");
      else if (interval.wakeReason === "ipi")
        parts.push(`woken by ipi from core ${interval.wakeSource ?? "?"}`);
      else if (interval.wakeReason === "device")
        parts.push(`woken by device vector 0x${(interval.wakeSource ?? 0).toString(16)}`);
      else parts.push(`woken by ${interval.wakeReason}`);
      break;
    default:
      parts.push(
        interval.lock === null || interval.lock === undefined
          ? "unregistered lock"
          : `lock ${interval.lock} (${names.locks.get(interval.lock) ?? "unnamed"})`,
      );
  }
  if (interval.openStart) parts.push("began before the window");
  if (interval.openEnd) parts.push("still open at the window's end");
  return parts.join(", ");
}
