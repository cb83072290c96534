// timeline-state.ts - what the timeline page keeps across a hide/show and a window reload (the webview's
// vscode.getState/setState; after a reload VS Code hands it back through the panel serializer that
// timeline-panel.ts registers): the visible range, whether it follows the newest events (live) and whether
// each new window is shown whole (fitted). Anything saved by another version or damaged gives the first
// page's state, never an exception. Pure: unit-tested.

import { MAX_SPAN_US, MIN_SPAN_US, span, type TimeView } from "./time-view";

export const TIMELINE_STATE_VERSION = 1;

export interface TimelinePanelState {
  version: typeof TIMELINE_STATE_VERSION;
  /** The range shown, microseconds of guest time; null until the first window. */
  view: TimeView | null;
  live: boolean;
  /** Until the user zooms or pans (or after Fit), each new window is shown whole. */
  fitted: boolean;
}

export const INITIAL_TIMELINE_STATE: TimelinePanelState = {
  version: TIMELINE_STATE_VERSION,
  view: null,
  live: true,
  fitted: true,
};

function restoreView(value: unknown): TimeView | null | undefined {
  if (value === null) return null;
  if (typeof value !== "object") return undefined;
  const { start, end } = value as { start?: unknown; end?: unknown };
  if (typeof start !== "number" || typeof end !== "number") return undefined;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return undefined;
  const view = { start, end };
  // A few ulps of slack: zoomAt's start + span may round.
  if (span(view) < MIN_SPAN_US * (1 - 1e-9) || span(view) > MAX_SPAN_US * (1 + 1e-9)) return undefined;
  return view;
}

/** The saved state if it is whole and of this version, else the first page's state. */
export function restoreTimelineState(saved: unknown): TimelinePanelState {
  if (typeof saved !== "object" || saved === null) return INITIAL_TIMELINE_STATE;
  const { version, view, live, fitted } = saved as Record<string, unknown>;
  const restoredView = restoreView(view);
  if (
    version !== TIMELINE_STATE_VERSION ||
    restoredView === undefined ||
    typeof live !== "boolean" ||
    typeof fitted !== "boolean"
  )
    return INITIAL_TIMELINE_STATE;
  // Without a range there is nothing to keep but live: a fitted first window.
  return {
    version: TIMELINE_STATE_VERSION,
    view: restoredView,
    live,
    fitted: restoredView === null || fitted,
  };
}
