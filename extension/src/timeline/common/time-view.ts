// time-view.ts - the timeline's visible time range and its math: time <-> pixel, zoom around the pointer
// (wheel) from seconds down to a microsecond, pan (drag), following the newest time while live, and the
// ruler's tick step. Times are microseconds of guest time (trace-protocol.ts). Pure: unit-tested.

export interface TimeView {
  start: number;
  end: number;
}

/** The narrowest view: one microsecond across the canvas. */
export const MIN_SPAN_US = 1;
/** The widest view: a minute (the recorder's window is bounded well below that at high event rates). */
export const MAX_SPAN_US = 60e6;

export function span(view: TimeView): number {
  return view.end - view.start;
}

export { timeToX } from "@toro-studio/debug-adapter/protocol";

export function xToTime(view: TimeView, widthPx: number, x: number): number {
  return view.start + (x / widthPx) * span(view);
}

/**
 * Zooms by `factor` (> 1 widens, < 1 narrows) keeping the time under `anchorX` where it is; the span stays
 * within [MIN_SPAN_US, MAX_SPAN_US].
 */
export function zoomAt(view: TimeView, widthPx: number, anchorX: number, factor: number): TimeView {
  const anchor = xToTime(view, widthPx, anchorX);
  const newSpan = Math.min(MAX_SPAN_US, Math.max(MIN_SPAN_US, span(view) * factor));
  const fraction = widthPx > 0 ? Math.min(1, Math.max(0, anchorX / widthPx)) : 0.5;
  const start = anchor - fraction * newSpan;
  return { start, end: start + newSpan };
}

/** The wheel's zoom factor: one notch (deltaY 100) widens or narrows by 1.25x. */
export function wheelFactor(deltaY: number): number {
  return Math.pow(1.25, deltaY / 100);
}

/** Moves the view by a drag of `deltaX` pixels (dragging right shows earlier times). */
export function panBy(view: TimeView, widthPx: number, deltaX: number): TimeView {
  const shift = widthPx > 0 ? (deltaX / widthPx) * span(view) : 0;
  return { start: view.start - shift, end: view.end - shift };
}

/** Live: the same span, ending at the newest time. */
export function followEnd(view: TimeView, end: number): TimeView {
  return { start: end - span(view), end };
}

/** The whole window (a first view), never narrower than MIN_SPAN_US. */
export function fitWindow(start: number, end: number): TimeView {
  const width = Math.min(MAX_SPAN_US, Math.max(MIN_SPAN_US, end - start));
  return { start: end - width, end };
}

/** A ruler step of 1, 2 or 5 x 10^n microseconds giving ticks at least `minPx` apart. */
export function tickStep(view: TimeView, widthPx: number, minPx = 80): number {
  const raw = (span(view) / Math.max(1, widthPx)) * minPx;
  const power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-3))));
  for (const multiple of [1, 2, 5, 10]) if (multiple * power >= raw) return multiple * power;
  return 10 * power;
}

/** "1.5 s", "12.25 ms", "800 us", "0.25 us". */
export function formatMicroseconds(value: number): string {
  const magnitude = Math.abs(value);
  const trim = (number: number) => String(Number(number.toPrecision(4)));
  if (magnitude >= 1e6) return `${trim(value / 1e6)} s`;
  if (magnitude >= 1e3) return `${trim(value / 1e3)} ms`;
  return `${trim(value)} us`;
}
