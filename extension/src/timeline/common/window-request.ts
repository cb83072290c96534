// window-request.ts - the toroTraceWindow request for what the timeline page shows: the whole window at
// the plot's width while it is fitted, the last span while it follows live, and while paused the range
// shown plus one span on each side (so a drag shows data at once) at three times the width. The adapter
// merges what is narrower than a column (protocol/trace-lane-layout.ts), so the answer is about the
// plot's width per lane however many events were recorded. Pure: unit-tested.

import type { ToroTraceWindowArguments } from "@toro-studio/debug-adapter/protocol";
import { span, type TimeView } from "./time-view";

/** While paused, the range fetched on each side of the view, in spans. */
export const PAUSED_MARGIN_SPANS = 1;

export function windowRequest(
  view: TimeView | null,
  live: boolean,
  fitted: boolean,
  plotWidthPx: number,
): ToroTraceWindowArguments {
  const widthPx = Math.max(1, Math.round(plotWidthPx));
  if (view === null || fitted) return { widthPx };
  if (live) return { lastSeconds: span(view) / 1e6, widthPx };
  const margin = PAUSED_MARGIN_SPANS * span(view);
  return {
    startMicroseconds: view.start - margin,
    endMicroseconds: view.end + margin,
    widthPx: widthPx * (1 + 2 * PAUSED_MARGIN_SPANS),
  };
}
