// main.ts - the timeline's webview client: receives trace windows from timeline-panel.ts
// (common/timeline-messages.ts), keeps the visible range (common/time-view.ts), and repaints the canvas
// (timeline-canvas.ts) at most once per animation frame. Wheel zooms around the pointer, drag pans, a click
// shows the interval's fields. Until the user zooms or pans (or after Fit), each window is shown whole; Live
// follows the newest events, any zoom or drag pauses it. Counts go into data attributes on <body> (lanes,
// intervals, halted intervals, rectangles drawn, draw time, the range's span) for tests. The range, live and fitted are kept
// in the webview's state (common/timeline-state.ts), so a hidden panel or a reloaded window shows the same.

import type { ToroTraceWindowBody } from "@toro-studio/debug-adapter/protocol";
import { TORO_TRACE_STATES } from "@toro-studio/debug-adapter/protocol";
import { intervalAt, laneCounts } from "../common/lane-layout";
import {
  fitWindow,
  followEnd,
  formatMicroseconds,
  panBy,
  wheelFactor,
  zoomAt,
  type TimeView,
} from "../common/time-view";
import type { TimelineClientMessage, TimelineHostMessage, TimelinePhase } from "../common/timeline-messages";
import {
  restoreTimelineState,
  TIMELINE_STATE_VERSION,
  type TimelinePanelState,
} from "../common/timeline-state";
import { windowRequest } from "../common/window-request";
import { renderAnalysis } from "./analysis-view";
import { TimelineCanvas } from "./timeline-canvas";

interface VsCodeApi {
  postMessage(message: TimelineClientMessage): void;
  getState(): unknown;
  setState(state: TimelinePanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`timeline page has no #${id}`);
  return found as T;
}

const canvas = new TimelineCanvas(element<HTMLCanvasElement>("timeline"));
const liveButton = element<HTMLButtonElement>("live");
const kindsSelect = element<HTMLSelectElement>("kinds");
const details = element("details");
const restored = restoreTimelineState(vscode.getState());
let view: TimeView | null = restored.view;
let live = restored.live;
/** While true (until the user zooms or pans), each new window is shown whole. */
let fitted = restored.fitted;
let dirty = true;
let selected: { lane: number; index: number } | null = null;

function showLive(): void {
  liveButton.textContent = live ? "Pause" : "Live";
  liveButton.setAttribute("aria-pressed", String(live));
  document.body.dataset.live = String(live);
}

/** The host fetches what the page shows: the request is sent when it changes, once it has settled. */
const VIEW_SETTLE_MS = 120;
let sentRequest = "";
let requestTimer: ReturnType<typeof setTimeout> | undefined;

function requestView(immediately = false): void {
  const request = windowRequest(view, live, fitted, canvas.plotWidth);
  const text = JSON.stringify(request);
  if (text === sentRequest) return;
  clearTimeout(requestTimer);
  const send = () => {
    sentRequest = text;
    vscode.postMessage({ type: "view", request });
  };
  if (immediately) send();
  else requestTimer = setTimeout(send, VIEW_SETTLE_MS);
}

function saveState(): void {
  vscode.setState({ version: TIMELINE_STATE_VERSION, view, live, fitted });
  document.body.dataset.viewSpan = view === null ? "" : String(view.end - view.start);
}

function setLive(value: boolean): void {
  if (live === value) return;
  live = value;
  showLive();
  vscode.postMessage({ type: "live", live });
  const window = canvas.current;
  if (live && window !== null && view !== null) view = followEnd(view, window.endMicroseconds);
  dirty = true;
}

function showWindow(window: ToroTraceWindowBody): void {
  canvas.setWindow(window);
  if (view === null || fitted) view = fitWindow(window.startMicroseconds, window.endMicroseconds);
  else if (live) view = followEnd(view, window.endMicroseconds);
  let intervals = 0;
  let halted = 0;
  let lanesWithHalts = 0;
  for (const lane of window.lanes) {
    const counts = laneCounts(lane);
    intervals += counts.intervals;
    halted += counts.halted;
    if (counts.halted > 0) lanesWithHalts++;
  }
  const data = document.body.dataset;
  data.lanes = String(window.lanes.length);
  data.intervals = String(intervals);
  data.haltedIntervals = String(halted);
  data.lanesWithHalts = String(lanesWithHalts);
  data.markers = String(
    window.lanes.reduce(
      (total, lane) =>
        total + (lane.markerCount?.reduce((sum, count) => sum + count, 0) ?? lane.markerTime.length),
      0,
    ),
  );
  data.flows = String(window.flows.sent.length);
  data.enabledKinds = String(window.enabledKinds ?? "");
  element("problem").textContent = window.problem ?? "";
  element("summary").textContent =
    `${window.lanes.length} cores · ${intervals.toLocaleString()} intervals · ` +
    `${formatMicroseconds(window.endMicroseconds - window.startMicroseconds)} recorded`;
  renderAnalysis(element("analysis"), window);
  selected = null;
  dirty = true;
}

function showStatus(phase: TimelinePhase, sessionName: string, notice: string | null): void {
  const texts: Record<TimelinePhase, string> = {
    none: "Start a Toro debug session (F5) to record its event trace.",
    live: `${sessionName}: recording`,
    ended: `${sessionName}: session ended, last window kept`,
  };
  const phaseElement = element("phase");
  phaseElement.textContent = texts[phase];
  phaseElement.className = `phase ${phase}`;
  document.body.dataset.phase = phase;
  element("notice").textContent = notice ?? "";
}

function showDetails(laneNumber: number, index: number): void {
  const window = canvas.current!;
  const lane = window.lanes[laneNumber];
  const start = lane.start[index];
  const end = lane.end[index];
  const rows: [string, string][] = [
    ["core", String(lane.core)],
    ["state", TORO_TRACE_STATES[lane.state[index]]],
    ["what", window.strings[lane.label[index]]],
    ["fields", window.strings[lane.detail[index]]],
    ["start", formatMicroseconds(start - window.startMicroseconds)],
    ["duration", formatMicroseconds(end - start)],
  ];
  const list = document.createElement("dl");
  for (const [name, value] of rows) {
    const term = document.createElement("dt");
    term.textContent = name;
    const description = document.createElement("dd");
    description.textContent = value;
    list.append(term, description);
  }
  details.replaceChildren(list);
  details.dataset.state = TORO_TRACE_STATES[lane.state[index]];
}

window.addEventListener("message", (event: MessageEvent<TimelineHostMessage>) => {
  const message = event.data;
  if (message.type === "window") {
    showWindow(message.window);
    document.body.dataset.requestMilliseconds = message.requestMilliseconds.toFixed(1);
  } else showStatus(message.phase, message.sessionName, message.notice);
});

const area = canvas.canvas;
area.addEventListener(
  "wheel",
  (event) => {
    if (view === null) return;
    event.preventDefault();
    fitted = false;
    setLive(false);
    view = zoomAt(view, canvas.plotWidth, event.offsetX - canvas.plotLeft, wheelFactor(event.deltaY));
    dirty = true;
  },
  { passive: false },
);

let drag: { x: number; moved: boolean } | null = null;
area.addEventListener("pointerdown", (event) => {
  drag = { x: event.clientX, moved: false };
  area.setPointerCapture(event.pointerId);
});
area.addEventListener("pointermove", (event) => {
  if (drag === null || view === null) return;
  const delta = event.clientX - drag.x;
  if (!drag.moved && Math.abs(delta) < 3) return;
  drag.moved = true;
  fitted = false;
  setLive(false);
  view = panBy(view, canvas.plotWidth, delta);
  drag.x = event.clientX;
  dirty = true;
});
area.addEventListener("pointerup", (event) => {
  const wasClick = drag !== null && !drag.moved;
  drag = null;
  area.releasePointerCapture(event.pointerId);
  if (!wasClick || view === null) return;
  const laneNumber = canvas.laneAt(event.offsetY);
  const indexed = canvas.indexedLanes[laneNumber];
  if (indexed === undefined) return;
  const index = intervalAt(indexed, view, canvas.plotWidth, event.offsetX - canvas.plotLeft);
  selected = index < 0 ? null : { lane: laneNumber, index };
  if (index >= 0) showDetails(laneNumber, index);
  dirty = true;
});

liveButton.addEventListener("click", () => setLive(!live));
element<HTMLButtonElement>("fit").addEventListener("click", () => {
  const window = canvas.current;
  if (window === null) return;
  fitted = true;
  view = fitWindow(window.startMicroseconds, window.endMicroseconds);
  dirty = true;
});
kindsSelect.addEventListener("change", () =>
  vscode.postMessage({ type: "traceKinds", kinds: kindsSelect.value }),
);
new ResizeObserver(() => (dirty = true)).observe(area);

function frame(): void {
  if (dirty && view !== null && canvas.current !== null) {
    dirty = false;
    saveState();
    requestView();
    const statistics = canvas.draw(view, selected);
    const data = document.body.dataset;
    data.drawnRects = String(statistics.rects);
    data.drawnMarkers = String(statistics.markers);
    data.drawnArrows = String(statistics.arrows);
    data.drawMilliseconds = statistics.milliseconds.toFixed(2);
    element("range").textContent =
      `${formatMicroseconds(view.end - view.start)} across · drawn in ${statistics.milliseconds.toFixed(1)} ms`;
  }
  requestAnimationFrame(frame);
}

for (const swatch of document.querySelectorAll<HTMLElement>("#legend .swatch"))
  swatch.style.background = swatch.dataset.color ?? "";
showLive();
saveState();
requestAnimationFrame(frame);
requestView(true); // before "ready": the first fetch is already limited to the view
vscode.postMessage({ type: "ready" });
// The host starts live; a page restored paused says so before the first window arrives.
if (!live) vscode.postMessage({ type: "live", live });
