// main.ts - the live monitor's webview client: receives typed messages from monitor-panel.ts
// (common/messages.ts), evens out their bursty arrival (jitter-buffer.ts), keeps the last minute of points,
// redraws the charts (charts.ts) at most once per animation frame, counts the frames it applied and shows
// that rate in the footer. Its state survives the panel being hidden (vscode.getState/setState).

import type {
  ClientToHostMessage,
  HostToClientMessage,
  MonitorClientState,
  MonitorPhase,
} from "../common/messages";
import { JitterBuffer } from "../common/jitter-buffer";
import { trimToWindow, type MonitorPoint } from "../common/series";
import { MonitorCharts } from "./charts";

interface VsCodeApi {
  postMessage(message: ClientToHostMessage): void;
  getState(): MonitorClientState | undefined;
  setState(state: MonitorClientState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const DEFAULT_WINDOW_SECONDS = 60;
/** How often the state is saved for a hidden panel (ms); saving every point at 50 Hz would waste time. */
const SAVE_STATE_INTERVAL_MS = 1000;

let state: MonitorClientState = vscode.getState() ?? {
  sessionName: "",
  phase: "none",
  windowSeconds: DEFAULT_WINDOW_SECONDS,
  points: [],
};

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`monitor page has no #${id}`);
  return found;
}

const charts = new MonitorCharts(
  element("host-chart"),
  element("halts-chart"),
  element("cores"),
  () => state.windowSeconds,
);
const frameRate = element("frame-rate");

/** Points received but not shown yet: released one animation frame at a time (jitter-buffer.ts). */
const arriving = new JitterBuffer<MonitorPoint>();
let dirty = true;
let framesThisSecond = 0;
let drawMillisecondsThisSecond = 0;
/** Animation frames the browser offered this second (the ceiling of frames applied). */
let animationFramesThisSecond = 0;
let pointsThisSecond = 0;
let stateSaved = false;

function showPhase(phase: MonitorPhase, sessionName: string): void {
  element("session").textContent = sessionName === "" ? "no session yet" : sessionName;
  const texts: Record<MonitorPhase, string> = {
    none: "Start a Toro debug session (F5) to see its cores here.",
    live: "live",
    ended: "session ended: last minute before the end",
  };
  const phaseElement = element("phase");
  phaseElement.textContent = texts[phase];
  phaseElement.className = `phase ${phase}`;
}

function addPoint(point: MonitorPoint): void {
  const last = state.points[state.points.length - 1];
  if (last !== undefined && point.sequence <= last.sequence) return;
  state.points.push(point);
  if (point.timeSeconds - state.points[0].timeSeconds > state.windowSeconds + 5) {
    state.points = trimToWindow(state.points, state.windowSeconds);
  }
}

window.addEventListener("message", (event: MessageEvent<HostToClientMessage>) => {
  const message = event.data;
  switch (message.type) {
    case "history":
      arriving.drain();
      state = {
        sessionName: message.sessionName,
        phase: message.phase,
        windowSeconds: message.windowSeconds,
        points: message.points,
      };
      showPhase(state.phase, state.sessionName);
      break;
    case "point":
      arriving.push(message.point, Date.now());
      pointsThisSecond++;
      return;
    case "phase":
      state.phase = message.phase;
      state.sessionName = message.sessionName;
      showPhase(message.phase, message.sessionName);
      break;
  }
  dirty = true;
  stateSaved = false;
});

function drawFrame(): void {
  animationFramesThisSecond++;
  const due = arriving.release(Date.now());
  for (const point of due) addPoint(point);
  if (due.length > 0) {
    dirty = true;
    stateSaved = false;
  }
  if (dirty) {
    dirty = false;
    const started = performance.now();
    charts.update(trimToWindow(state.points, state.windowSeconds));
    // uPlot draws in a microtask queued by setData; this one runs after it.
    queueMicrotask(() => (drawMillisecondsThisSecond += performance.now() - started));
    framesThisSecond++;
    document.body.dataset.drawnPoints = String(charts.drawnPointCount);
  }
  requestAnimationFrame(drawFrame);
}

setInterval(() => {
  const drawMilliseconds = framesThisSecond === 0 ? 0 : drawMillisecondsThisSecond / framesThisSecond;
  frameRate.textContent =
    `${framesThisSecond} frames/s applied · ${pointsThisSecond} points/s received · ` +
    `${drawMilliseconds.toFixed(1)} ms per frame`;
  frameRate.dataset.framesPerSecond = String(framesThisSecond);
  frameRate.dataset.pointsPerSecond = String(pointsThisSecond);
  frameRate.dataset.drawMilliseconds = drawMilliseconds.toFixed(2);
  frameRate.dataset.animationFramesPerSecond = String(animationFramesThisSecond);
  framesThisSecond = 0;
  pointsThisSecond = 0;
  drawMillisecondsThisSecond = 0;
  animationFramesThisSecond = 0;
}, 1000);

setInterval(() => {
  if (stateSaved) return;
  vscode.setState(state);
  stateSaved = true;
}, SAVE_STATE_INTERVAL_MS);

showPhase(state.phase, state.sessionName);
requestAnimationFrame(drawFrame);
vscode.postMessage({ type: "ready" });
