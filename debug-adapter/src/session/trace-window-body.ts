// trace-window-body.ts - translates the engine's trace window (engine/trace/trace-recorder.ts: timeline,
// names, statistics, analysis) into the compact toroTraceWindow body (protocol/trace-protocol.ts): per core,
// parallel arrays of intervals and markers in microseconds of guest time, every text once in a string table.
// Pure; used by trace-session.ts.

import type { Interval } from "../engine/trace/core-timeline";
import type { TraceWindow } from "../engine/trace/trace-recorder";
import { instantName, sliceName } from "../engine/trace/chrome-trace";
import type { ToroTraceLane, ToroTraceState, ToroTraceWindowBody } from "../protocol/trace-protocol";
import { TORO_TRACE_STATES } from "../protocol/trace-protocol";

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

/**
 * `enabledKinds`: the kernel's word read now (the window's own copy dates from the first drain);
 * `lastSeconds`: keep only what overlaps the last N seconds of the window.
 */
export function traceWindowBody(
  window: TraceWindow,
  enabledKinds: number | null,
  lastSeconds?: number,
): ToroTraceWindowBody {
  const { timeline, tscHz, names } = window;
  const ticksPerMicrosecond = tscHz / 1e6;
  // Rounded to nanoseconds: a third less JSON than full doubles for the same picture.
  const micros = (tsc: number) => Math.round((tsc / ticksPerMicrosecond) * 1000) / 1000;
  const endMicroseconds = micros(timeline.endTsc);
  const startMicroseconds =
    lastSeconds === undefined
      ? micros(timeline.startTsc)
      : Math.max(micros(timeline.startTsc), endMicroseconds - lastSeconds * 1e6);
  const strings = new StringTable();
  const lanes = new Map<number, ToroTraceLane>();
  for (const core of timeline.cores) {
    const statistics = window.statistics.find((entry) => entry.core === core);
    lanes.set(core, {
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
    });
  }
  // timeline.intervals is sorted by core, then start: each lane's arrays come out sorted by start.
  for (const interval of timeline.intervals) {
    const end = micros(interval.endTsc);
    if (end < startMicroseconds) continue;
    const lane = lanes.get(interval.core)!;
    lane.start.push(micros(interval.startTsc));
    lane.end.push(end);
    lane.state.push(TORO_TRACE_STATES.indexOf(stateOf(interval)));
    lane.label.push(strings.index(sliceName(interval, names)));
    lane.detail.push(strings.index(describeInterval(interval, names)));
  }
  const instants = [...timeline.instants].sort((a, b) => a.tsc - b.tsc);
  for (const event of instants) {
    const time = micros(event.tsc);
    if (time < startMicroseconds) continue;
    const lane = lanes.get(event.core);
    if (lane === undefined) continue;
    lane.markerTime.push(time);
    lane.markerKind.push(strings.index(event.kind));
    lane.markerLabel.push(strings.index(instantName(event, names)));
  }
  const flows: ToroTraceWindowBody["flows"] = { fromCore: [], toCore: [], sent: [], received: [] };
  for (const flow of timeline.flows) {
    if (micros(flow.receivedTsc) < startMicroseconds) continue;
    flows.fromCore.push(flow.fromCore);
    flows.toCore.push(flow.toCore);
    flows.sent.push(micros(flow.sentTsc));
    flows.received.push(micros(flow.receivedTsc));
  }
  return {
    problem: window.problem,
    enabledKinds,
    tscHz,
    startMicroseconds,
    endMicroseconds,
    strings: strings.strings,
    lanes: [...lanes.values()],
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
