// lane-layout.ts - what the timeline draws of one core's lane in the visible range: the culling and the
// merging of sub-pixel intervals and markers are the adapter's protocol/trace-lane-layout.ts (the same code
// limits the toroTraceWindow body to what a view shows), re-exported here; this file adds hit-testing (the
// interval under a click) and the counts the page exposes. Pure: unit-tested; the client
// (client/timeline-canvas.ts) only paints the results.

import {
  lowerBound,
  layerOfState,
  type IndexedLane as IndexedIntervals,
  type ToroTraceLane,
} from "@toro-studio/debug-adapter/protocol";
import type { TimeView } from "./time-view";

/** A lane of the window body with its layers. */
export type IndexedLane = IndexedIntervals<ToroTraceLane>;

export {
  indexLane,
  LAYERS,
  layerOfState,
  lowerBound,
  MERGE_PX,
  visibleMarkers,
  visibleRects,
  type Layer,
  type LayerName,
  type MarkerMark,
  type Rect,
} from "@toro-studio/debug-adapter/protocol";

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

/**
 * Counts the page exposes (data attributes) for tests: recorded intervals and halted intervals per lane
 * (a merged interval counts as the intervals it stands for).
 */
export function laneCounts(lane: ToroTraceLane): { intervals: number; halted: number } {
  let intervals = 0;
  let halted = 0;
  lane.state.forEach((state, index) => {
    const count = lane.merged?.[index] ?? 1;
    intervals += count;
    if (layerOfState(state) === "halt") halted += count;
  });
  return { intervals, halted };
}
