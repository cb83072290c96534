// lane-layout.ts - what the timeline draws of one core's lane in the visible range, computed without
// touching every interval: a lane's intervals split into layers that do not overlap among themselves
// (thread runs, halts, lock spins nested in runs), each culled with a binary search over the running
// maximum of its ends, and runs of sub-pixel intervals merged into one rectangle coloured by the state that
// filled most of it. Markers are culled and merged the same way; hit-testing finds the interval under a
// click. Pure: unit-tested; the client (client/timeline-canvas.ts) only paints the results.

import { TORO_TRACE_STATES, type ToroTraceLane } from "@toro-studio/debug-adapter/protocol";
import { timeToX, type TimeView } from "./time-view";

/** Drawing order, bottom to top: a lock spin happens inside a thread's run and is drawn over it. */
export const LAYERS = ["thread", "halt", "lock"] as const;
export type LayerName = (typeof LAYERS)[number];

export function layerOfState(state: number): LayerName {
  const name = TORO_TRACE_STATES[state];
  if (name === "halted" || name === "halted (polling)") return "halt";
  if (name === "lock spin") return "lock";
  return "thread";
}

export interface Layer {
  name: LayerName;
  /** Indices into the lane's arrays, sorted by start. */
  indices: Int32Array;
  starts: Float64Array;
  ends: Float64Array;
  /** maxEnds[i] = max(ends[0..i]): non-decreasing, so the first visible interval is a binary search away. */
  maxEnds: Float64Array;
}

export interface IndexedLane {
  lane: ToroTraceLane;
  layers: Layer[];
}

export function indexLane(lane: ToroTraceLane): IndexedLane {
  const byLayer = new Map<LayerName, number[]>(LAYERS.map((name) => [name, []]));
  for (let index = 0; index < lane.start.length; index++)
    byLayer.get(layerOfState(lane.state[index]))!.push(index);
  const layers = LAYERS.map((name) => {
    const indices = Int32Array.from(byLayer.get(name)!);
    const starts = new Float64Array(indices.length);
    const ends = new Float64Array(indices.length);
    const maxEnds = new Float64Array(indices.length);
    let maximum = -Infinity;
    indices.forEach((laneIndex, position) => {
      starts[position] = lane.start[laneIndex];
      ends[position] = lane.end[laneIndex];
      maximum = Math.max(maximum, ends[position]);
      maxEnds[position] = maximum;
    });
    return { name, indices, starts, ends, maxEnds };
  });
  return { lane, layers };
}

/** The first position whose value is >= `value` in a non-decreasing array (length when none). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** One rectangle to paint: pixels [x0, x1), the state that filled most of it, the lane index of its first interval. */
export interface Rect {
  x0: number;
  x1: number;
  state: number;
  index: number;
  /** How many intervals it stands for (1 unless sub-pixel ones were merged). */
  count: number;
}

/** Below this width (pixels) an interval is merged with its neighbours rather than drawn alone. */
export const MERGE_PX = 1;

/** The rectangles of one layer in `view`, at most about two per pixel column. */
export function visibleRects(layer: Layer, lane: ToroTraceLane, view: TimeView, widthPx: number): Rect[] {
  const rects: Rect[] = [];
  let weights: Map<number, number> | null = null;
  let current: Rect | null = null;
  const finish = () => {
    if (current === null) return;
    if (weights !== null) current.state = dominant(weights);
    rects.push(current);
    current = null;
    weights = null;
  };
  for (let position = lowerBound(layer.maxEnds, view.start); position < layer.starts.length; position++) {
    const start = layer.starts[position];
    if (start > view.end) break;
    const end = layer.ends[position];
    if (end < view.start) continue;
    const x0 = Math.max(0, timeToX(view, widthPx, start));
    const x1 = Math.min(widthPx, timeToX(view, widthPx, end));
    const index = layer.indices[position];
    const state = lane.state[index];
    const narrow = x1 - x0 < MERGE_PX;
    const open = current as Rect | null;
    if (open !== null && x0 - open.x1 < MERGE_PX && (narrow || open.x1 - open.x0 < MERGE_PX)) {
      weights ??= new Map([[open.state, open.x1 - open.x0]]);
      weights.set(state, (weights.get(state) ?? 0) + Math.max(x1 - x0, 1e-6));
      open.x1 = Math.max(open.x1, x1);
      open.count++;
      continue;
    }
    finish();
    current = { x0, x1: Math.max(x1, x0), state, index, count: 1 };
  }
  finish();
  return rects;
}

function dominant(weights: Map<number, number>): number {
  let best = -1;
  let bestWeight = -Infinity;
  for (const [state, weight] of weights) {
    if (weight > bestWeight) {
      best = state;
      bestWeight = weight;
    }
  }
  return best;
}

export interface MarkerMark {
  x: number;
  /** Index into the lane's marker arrays (the first of those merged into this pixel). */
  index: number;
  count: number;
}

/** The lane's markers in `view`, one per pixel column and kind. */
export function visibleMarkers(lane: ToroTraceLane, view: TimeView, widthPx: number): MarkerMark[] {
  const marks: MarkerMark[] = [];
  const lastByKind = new Map<number, MarkerMark>();
  for (let index = lowerBound(lane.markerTime, view.start); index < lane.markerTime.length; index++) {
    const time = lane.markerTime[index];
    if (time > view.end) break;
    const x = Math.floor(timeToX(view, widthPx, time));
    const kind = lane.markerKind[index];
    const last = lastByKind.get(kind);
    if (last !== undefined && last.x === x) {
      last.count++;
      continue;
    }
    const mark = { x, index, count: 1 };
    marks.push(mark);
    lastByKind.set(kind, mark);
  }
  return marks;
}

/**
 * The interval under pixel `x` (within `tolerancePx` for ones too thin to hit), topmost layer first; its
 * index in the lane's arrays, or -1.
 */
export function intervalAt(
  indexed: IndexedLane,
  view: TimeView,
  widthPx: number,
  x: number,
  tolerancePx = 2,
): number {
  const perPx = (view.end - view.start) / Math.max(1, widthPx);
  const time = view.start + x * perPx;
  const slack = tolerancePx * perPx;
  for (const layer of [...indexed.layers].reverse()) {
    let best = -1;
    let bestDistance = Infinity;
    for (let position = lowerBound(layer.maxEnds, time - slack); position < layer.starts.length; position++) {
      const start = layer.starts[position];
      if (start > time + slack) break;
      const end = layer.ends[position];
      const distance = time < start ? start - time : time > end ? time - end : 0;
      if (distance <= slack && distance < bestDistance) {
        best = layer.indices[position];
        bestDistance = distance;
      }
    }
    if (best >= 0) return best;
  }
  return -1;
}

/** Counts the page exposes (data attributes) for tests: intervals and halted intervals per lane. */
export function laneCounts(lane: ToroTraceLane): { intervals: number; halted: number } {
  let halted = 0;
  for (const state of lane.state) if (layerOfState(state) === "halt") halted++;
  return { intervals: lane.start.length, halted };
}
