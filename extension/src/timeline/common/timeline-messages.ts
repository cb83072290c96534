// timeline-messages.ts - the typed messages between the timeline's extension-host side (timeline-panel.ts)
// and its webview client (client/main.ts). Both sides import this file; nothing else crosses the boundary.
// The window itself is the adapter's toroTraceWindow body (trace-protocol.ts), passed on unchanged.

import type { ToroTraceWindowArguments, ToroTraceWindowBody } from "@toro-studio/debug-adapter/protocol";

/** none: no Toro session; live: a session runs; ended: the last window of a session that ended. */
export type TimelinePhase = "none" | "live" | "ended";

/** A new window of the current session (sent about once a second while live and not paused). */
export interface WindowMessage {
  type: "window";
  window: ToroTraceWindowBody;
  /** How long the toroTraceWindow request took, as the extension host saw it. */
  requestMilliseconds: number;
}

/** The session's state, and a line for the user (e.g. "tracing was off: switched on"). */
export interface StatusMessage {
  type: "status";
  phase: TimelinePhase;
  sessionName: string;
  notice: string | null;
}

export type TimelineHostMessage = WindowMessage | StatusMessage;

/** The client has loaded and listens. */
export interface TimelineReadyMessage {
  type: "ready";
}

/** The user paused or resumed the live updates. */
export interface TimelineLiveMessage {
  type: "live";
  live: boolean;
}

/** The user switched trace kinds ("on", "off", "sched,halt", ...). */
export interface TimelineTraceKindsMessage {
  type: "traceKinds";
  kinds: string;
}

/** What the page shows, as the window request that fetches just that (common/window-request.ts). */
export interface TimelineViewMessage {
  type: "view";
  request: ToroTraceWindowArguments;
}

export type TimelineClientMessage =
  TimelineReadyMessage | TimelineLiveMessage | TimelineTraceKindsMessage | TimelineViewMessage;

const REQUEST_FIELDS = ["lastSeconds", "startMicroseconds", "endMicroseconds", "widthPx"];

function isWindowRequest(value: unknown): value is ToroTraceWindowArguments {
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).every(
    ([key, field]) => REQUEST_FIELDS.includes(key) && typeof field === "number" && Number.isFinite(field),
  );
}

export function isTimelineClientMessage(value: unknown): value is TimelineClientMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as { type?: unknown; live?: unknown; kinds?: unknown; request?: unknown };
  switch (message.type) {
    case "ready":
      return true;
    case "live":
      return typeof message.live === "boolean";
    case "traceKinds":
      return typeof message.kinds === "string";
    case "view":
      return isWindowRequest(message.request);
    default:
      return false;
  }
}
