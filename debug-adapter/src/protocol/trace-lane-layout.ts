// trace-lane-layout.ts - what one core's lane looks like at a given time range and pixel width, computed
// without touching every interval: the lane's intervals split into layers that do not overlap among
// themselves (thread runs, halts, lock spins nested in runs), each culled with a binary search over the
// running maximum of its ends, runs of sub-pixel intervals merged into one rectangle coloured by the state
// that filled most of it, and markers merged to one per pixel column and kind. The one merging code of the
// timeline: the adapter's toroTraceWindow uses it to send only what a view can show
// (session/trace-window-body.ts), the extension's canvas to paint (extension/src/timeline/common/
// lane-layout.ts). Pure, no runtime imports beyond trace-protocol.ts (the extension bundles it).

import { TORO_TRACE_STATES } from "./trace-protocol";

/** A visible time range, microseconds of guest time. */
export interface TimeRange {
  start: number;
  end: number;
}

/** The parts of a lane (ToroTraceLane) this layout reads. */
export interface LaneIntervals {
  start: ArrayLike<number>;
  end: ArrayLike<number>;
  state: ArrayLike<number>;
  /** Recorded intervals each one stands for (absent: 1 each). */
  merged?: ArrayLike<number>;
}

export interface LaneMarkers {
  markerTime: ArrayLike<number>;
  markerKind: ArrayLike<number>;
  /** Recorded events each marker stands for (absent: 1 each). */
  markerCount?: ArrayLike<number>;
}

export function timeToX(view: TimeRange, widthPx: number, time: number): number {
  return ((time - view.start) / (view.end - view.start)) * widthPx;
}

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

export interface IndexedLane<L extends LaneIntervals = LaneIntervals> {
  lane: L;
  layers: Layer[];
}

export function indexLane<L extends LaneIntervals>(lane: L): IndexedLane<L> {
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

/**
 * One rectangle to paint: pixels [x0, x1), the state that filled most of it, the lane index of its first
 * interval, and the times it covers (the first interval's start, the latest end among those merged).
 */
export interface Rect {
  x0: number;
  x1: number;
  state: number;
  index: number;
  /** How many recorded intervals it stands for (1 unless sub-pixel ones were merged). */
  count: number;
  start: number;
  end: number;
}

/** Below this width (pixels) an interval is merged with its neighbours rather than drawn alone. */
export const MERGE_PX = 1;

/** The rectangles of one layer in `view`, at most about two per pixel column. */
export function visibleRects(layer: Layer, lane: LaneIntervals, view: TimeRange, widthPx: number): Rect[] {
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
    const count = lane.merged?.[index] ?? 1;
    const narrow = x1 - x0 < MERGE_PX;
    const open = current as Rect | null;
    if (open !== null && x0 - open.x1 < MERGE_PX && (narrow || open.x1 - open.x0 < MERGE_PX)) {
      weights ??= new Map([[open.state, open.x1 - open.x0]]);
      weights.set(state, (weights.get(state) ?? 0) + Math.max(x1 - x0, 1e-6));
      open.x1 = Math.max(open.x1, x1);
      open.end = Math.max(open.end, end);
      open.count += count;
      continue;
    }
    finish();
    current = { x0, x1: Math.max(x1, x0), state, index, count, start, end };
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
  /** How many recorded events it stands for. */
  count: number;
}

/** The lane's markers in `view`, one per pixel column and kind. */
export function visibleMarkers(lane: LaneMarkers, view: TimeRange, widthPx: number): MarkerMark[] {
  const marks: MarkerMark[] = [];
  const lastByKind = new Map<number, MarkerMark>();
  for (let index = lowerBound(lane.markerTime, view.start); index < lane.markerTime.length; index++) {
    const time = lane.markerTime[index];
    if (time > view.end) break;
    const x = Math.floor(timeToX(view, widthPx, time));
    const kind = lane.markerKind[index];
    const count = lane.markerCount?.[index] ?? 1;
    const last = lastByKind.get(kind);
    if (last !== undefined && last.x === x) {
      last.count += count;
      continue;
    }
    const mark = { x, index, count };
    marks.push(mark);
    lastByKind.set(kind, mark);
  }
  return marks;
}
