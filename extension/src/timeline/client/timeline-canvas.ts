// timeline-canvas.ts - paints the trace window on a canvas: a time ruler, one lane per core (the lane's
// covered span in the idle-spin colour underneath - time outside threads and halts is the kernel spinning or
// scheduling - then thread runs coloured per thread name, halts, lock spins), markers for IPIs, interrupts
// and other instants, and arrows for cross-core wake-ups. What to draw comes from common/lane-layout.ts
// (culled, sub-pixel runs merged), so a frame costs about the canvas width per lane, not the event count.

import { TORO_TRACE_STATES, type ToroTraceWindowBody } from "@toro-studio/debug-adapter/protocol";
import { indexLane, visibleMarkers, visibleRects, type IndexedLane } from "../common/lane-layout";
import { formatMicroseconds, tickStep, timeToX, type TimeView } from "../common/time-view";

export const RULER_PX = 22;
export const LANE_PX = 34;
const LANE_GAP_PX = 6;
const LABEL_PX = 56;

const STATE_COLORS: Record<(typeof TORO_TRACE_STATES)[number], string> = {
  running: "#4e9a06",
  polling: "#e0a030",
  halted: "#3465a4",
  "halted (polling)": "#5fa8c8",
  "lock spin": "#cc0000",
};
const IDLE_SPIN_COLOR = "rgba(200, 190, 80, 0.35)";

/** A stable colour per thread name (running intervals), so a thread is recognisable across lanes. */
function threadColor(name: string): string {
  let hash = 0;
  for (let index = 0; index < name.length; index++) hash = (hash * 31 + name.charCodeAt(index)) >>> 0;
  return `hsl(${90 + (hash % 120)}, 55%, ${38 + (hash % 17)}%)`;
}

export interface DrawStatistics {
  rects: number;
  markers: number;
  arrows: number;
  milliseconds: number;
}

export class TimelineCanvas {
  private window: ToroTraceWindowBody | null = null;
  private lanes: IndexedLane[] = [];
  private readonly context: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.context = canvas.getContext("2d")!;
  }

  setWindow(window: ToroTraceWindowBody): void {
    this.window = window;
    this.lanes = window.lanes.map(indexLane);
  }

  get indexedLanes(): IndexedLane[] {
    return this.lanes;
  }

  get current(): ToroTraceWindowBody | null {
    return this.window;
  }

  /** Width of the time area in CSS pixels (the canvas less the lane labels). */
  get plotWidth(): number {
    return Math.max(1, this.canvas.clientWidth - LABEL_PX);
  }

  get plotLeft(): number {
    return LABEL_PX;
  }

  /** The lane under a y coordinate (CSS pixels from the canvas top), -1 when none. */
  laneAt(y: number): number {
    const offset = y - RULER_PX;
    if (offset < 0) return -1;
    const lane = Math.floor(offset / (LANE_PX + LANE_GAP_PX));
    return lane < this.lanes.length && offset % (LANE_PX + LANE_GAP_PX) < LANE_PX ? lane : -1;
  }

  draw(view: TimeView, selected: { lane: number; index: number } | null): DrawStatistics {
    const started = performance.now();
    const statistics = { rects: 0, markers: 0, arrows: 0, milliseconds: 0 };
    const ratio = window.devicePixelRatio || 1;
    const height = RULER_PX + this.lanes.length * (LANE_PX + LANE_GAP_PX) + 4;
    const cssWidth = this.canvas.clientWidth;
    this.canvas.style.height = `${height}px`;
    if (
      this.canvas.width !== Math.round(cssWidth * ratio) ||
      this.canvas.height !== Math.round(height * ratio)
    ) {
      this.canvas.width = Math.round(cssWidth * ratio);
      this.canvas.height = Math.round(height * ratio);
    }
    const context = this.context;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, cssWidth, height);
    const style = getComputedStyle(document.body);
    const foreground = style.getPropertyValue("--vscode-foreground") || "#ccc";
    context.font = "11px sans-serif";
    context.textBaseline = "middle";
    const width = this.plotWidth;
    this.drawRuler(view, width, height, foreground);
    const body = this.window;
    if (body !== null) {
      context.save();
      context.translate(LABEL_PX, 0);
      context.beginPath();
      context.rect(0, 0, width, height);
      context.clip();
      this.lanes.forEach((indexed, laneNumber) => {
        const top = RULER_PX + laneNumber * (LANE_PX + LANE_GAP_PX);
        statistics.rects += this.drawLane(indexed, body, view, width, top);
        statistics.markers += this.drawMarkers(indexed, body, view, width, top);
      });
      statistics.arrows = this.drawFlows(body, view, width);
      if (selected !== null) this.drawSelection(selected, view, width);
      context.restore();
      context.fillStyle = foreground;
      this.lanes.forEach((indexed, laneNumber) => {
        const top = RULER_PX + laneNumber * (LANE_PX + LANE_GAP_PX);
        context.fillText(`core ${indexed.lane.core}`, 4, top + LANE_PX / 2);
      });
    }
    statistics.milliseconds = performance.now() - started;
    return statistics;
  }

  private drawRuler(view: TimeView, width: number, height: number, foreground: string): void {
    const context = this.context;
    const step = tickStep(view, width);
    context.fillStyle = foreground;
    context.strokeStyle = "rgba(128,128,128,0.25)";
    context.lineWidth = 1;
    const origin = this.window?.startMicroseconds ?? 0;
    const first = Math.ceil((view.start - origin) / step) * step + origin;
    for (let time = first; time <= view.end; time += step) {
      const x = LABEL_PX + Math.round(timeToX(view, width, time)) + 0.5;
      context.beginPath();
      context.moveTo(x, RULER_PX - 4);
      context.lineTo(x, height);
      context.stroke();
      context.fillText(formatMicroseconds(time - origin), x + 3, RULER_PX / 2);
    }
  }

  private drawLane(
    indexed: IndexedLane,
    body: ToroTraceWindowBody,
    view: TimeView,
    width: number,
    top: number,
  ): number {
    const context = this.context;
    const lane = indexed.lane;
    let count = 0;
    // The covered span: what no interval explains is the kernel spinning (idle spin) or scheduling.
    if (lane.start.length > 0) {
      const x0 = Math.max(0, timeToX(view, width, lane.start[0]));
      const x1 = Math.min(width, timeToX(view, width, body.endMicroseconds));
      if (x1 > x0) {
        context.fillStyle = IDLE_SPIN_COLOR;
        context.fillRect(x0, top, x1 - x0, LANE_PX);
      }
    }
    for (const layer of indexed.layers) {
      const inset = layer.name === "lock" ? 8 : layer.name === "halt" ? 3 : 0;
      for (const rect of visibleRects(layer, lane, view, width)) {
        const stateName = TORO_TRACE_STATES[rect.state];
        const label = body.strings[lane.label[rect.index]];
        context.fillStyle =
          stateName === "running" && rect.count === 1 ? threadColor(label) : STATE_COLORS[stateName];
        context.fillRect(rect.x0, top + inset, Math.max(rect.x1 - rect.x0, 1), LANE_PX - 2 * inset);
        if (rect.count === 1 && rect.x1 - rect.x0 > 40) {
          context.fillStyle = "#fff";
          context.fillText(label, rect.x0 + 3, top + LANE_PX / 2, rect.x1 - rect.x0 - 6);
        }
        count++;
      }
    }
    return count;
  }

  private drawMarkers(
    indexed: IndexedLane,
    body: ToroTraceWindowBody,
    view: TimeView,
    width: number,
    top: number,
  ): number {
    const context = this.context;
    const marks = visibleMarkers(indexed.lane, view, width);
    for (const mark of marks) {
      const kind = body.strings[indexed.lane.markerKind[mark.index]];
      const x = mark.x + 0.5;
      if (kind === "ipi-sent" || kind === "ipi-received") {
        context.fillStyle = "#f0f";
        const y = kind === "ipi-sent" ? top : top + LANE_PX;
        const direction = kind === "ipi-sent" ? 1 : -1;
        context.beginPath();
        context.moveTo(x - 3, y);
        context.lineTo(x + 3, y);
        context.lineTo(x, y + 5 * direction);
        context.fill();
      } else if (kind === "interrupt" || kind === "timer-fired") {
        context.fillStyle = kind === "interrupt" ? "#ff8c00" : "#ddd";
        context.fillRect(x - 0.5, top, 1, 6);
      } else {
        context.fillStyle = "#aaa";
        context.fillRect(x - 0.5, top + LANE_PX - 6, 1, 6);
      }
    }
    return marks.length;
  }

  /** Arrows from an IPI's sender to the core it woke; one per pixel column and pair of cores. */
  private drawFlows(body: ToroTraceWindowBody, view: TimeView, width: number): number {
    const context = this.context;
    const laneOf = new Map(this.lanes.map((indexed, number) => [indexed.lane.core, number]));
    const seen = new Set<string>();
    context.strokeStyle = "rgba(255, 0, 255, 0.8)";
    context.fillStyle = "rgba(255, 0, 255, 0.8)";
    context.lineWidth = 1;
    let count = 0;
    const flows = body.flows;
    for (let index = 0; index < flows.sent.length; index++) {
      if (flows.received[index] < view.start || flows.sent[index] > view.end) continue;
      const from = laneOf.get(flows.fromCore[index]);
      const to = laneOf.get(flows.toCore[index]);
      if (from === undefined || to === undefined) continue;
      const x0 = timeToX(view, width, flows.sent[index]);
      const x1 = timeToX(view, width, flows.received[index]);
      const key = `${Math.round(x0)}:${from}:${to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const center = (lane: number) => RULER_PX + lane * (LANE_PX + LANE_GAP_PX) + LANE_PX / 2;
      const y0 = center(from);
      const y1 = center(to);
      context.beginPath();
      context.moveTo(x0, y0);
      context.lineTo(x1, y1);
      context.stroke();
      const angle = Math.atan2(y1 - y0, x1 - x0);
      context.beginPath();
      context.moveTo(x1, y1);
      context.lineTo(x1 - 6 * Math.cos(angle - 0.4), y1 - 6 * Math.sin(angle - 0.4));
      context.lineTo(x1 - 6 * Math.cos(angle + 0.4), y1 - 6 * Math.sin(angle + 0.4));
      context.fill();
      count++;
    }
    return count;
  }

  private drawSelection(selected: { lane: number; index: number }, view: TimeView, width: number): void {
    const indexed = this.lanes[selected.lane];
    if (indexed === undefined) return;
    const top = RULER_PX + selected.lane * (LANE_PX + LANE_GAP_PX);
    const x0 = timeToX(view, width, indexed.lane.start[selected.index]);
    const x1 = timeToX(view, width, indexed.lane.end[selected.index]);
    this.context.strokeStyle = "#fff";
    this.context.lineWidth = 2;
    this.context.strokeRect(x0, top - 1, Math.max(x1 - x0, 2), LANE_PX + 2);
  }
}
