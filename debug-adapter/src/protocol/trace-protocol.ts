// trace-protocol.ts - the custom DAP messages of the kernel's event trace, declared once: the session
// (debug-adapter/src/session/trace-session.ts) answers them, the extension's timeline panel
// (extension/src/timeline/) sends them. Self-contained like toro-protocol.ts (no runtime imports), plain JSON.
// The window travels in a compact, columnar form (parallel arrays and one string table), limited to what
// the timeline's view shows when it asks so (a range and a pixel width: sub-pixel intervals merged by
// trace-lane-layout.ts), so a window of 10^5+ intervals costs about the view's width per lane.

/**
 * Request: turn the trace on, off or to a set of kinds while the VM runs (a write of the kernel's
 * enabled_kinds word in the guest RAM file: the VM is never stopped). Arguments: ToroTraceControlArguments.
 * Response body: ToroTraceControlBody. Fails for a session without a guest RAM file (attach) or a kernel
 * without an event trace.
 */
export const TORO_TRACE_CONTROL_REQUEST = "toroTraceControl";

export interface ToroTraceControlArguments {
  /** The kernel's trace= syntax: "on", "off", or a comma list of groups (sched, halt, ipi, irq, lock, ...). */
  kinds: string;
}

export interface ToroTraceControlBody {
  /** The enabled_kinds word before and after the write (bit n = kind n of telemetry_abi.h). */
  previousKinds: number;
  enabledKinds: number;
}

/**
 * Request: the events recorded so far (the engine drains the rings at every telemetry poll and once more for
 * this request), as lanes of intervals per core. Arguments: ToroTraceWindowArguments. Response body:
 * ToroTraceWindowBody. Never stops the VM.
 */
export const TORO_TRACE_WINDOW_REQUEST = "toroTraceWindow";

export interface ToroTraceWindowArguments {
  /** Only the last N seconds of guest time (intervals overlapping them); absent: the whole window. */
  lastSeconds?: number;
  /**
   * Only what overlaps this range of guest time (microseconds, as in the body); either end may be left
   * out. Not together with lastSeconds.
   */
  startMicroseconds?: number;
  endMicroseconds?: number;
  /**
   * The pixel columns the range is drawn on: intervals and markers narrower than a column are merged as
   * the timeline draws them (trace-lane-layout.ts), so a lane carries at most about two intervals per
   * column and layer whatever the event count. Absent: every interval.
   */
  widthPx?: number;
}

/** Interval states, indexed by ToroTraceLane.state. */
export const TORO_TRACE_STATES = ["running", "polling", "halted", "halted (polling)", "lock spin"] as const;
export type ToroTraceState = (typeof TORO_TRACE_STATES)[number];

/** One core's lane. Times are microseconds of guest time (TSC / its rate), comparable across lanes. */
export interface ToroTraceLane {
  core: number;
  /** Intervals sorted by start; one entry per interval in each array. */
  start: number[];
  end: number[];
  /** Index into TORO_TRACE_STATES. */
  state: number[];
  /** Index into the body's strings: what the interval is (a thread's name, "halted", a lock). */
  label: number[];
  /** Index into the body's strings: its event fields ("woken by ipi from core 2", "thread id 5", ...). */
  detail: number[];
  /** Instant events (IPIs, interrupts, timers, thread lifecycle, marks) sorted by time. */
  markerTime: number[];
  /** Index into the body's strings: the event kind ("ipi-sent", "ipi-received", "interrupt", ...). */
  markerKind: number[];
  /** Index into the body's strings: a readable description ("IPI to core 3"). */
  markerLabel: number[];
  /**
   * With widthPx: the recorded intervals each interval stands for (1: itself; more: sub-pixel ones merged,
   * the state the one that filled most of it, the label and fields those of the first). Absent: 1 each.
   */
  merged?: number[];
  /** With widthPx: the recorded events each marker stands for. Absent: 1 each. */
  markerCount?: number[];
  /** Events the core wrote since boot, read, lost to overruns (never silently), dropped from the window. */
  written: number;
  drained: number;
  overruns: number;
  evicted: number;
}

/** Cross-core wake-ups: an IPI sent on one core and received on another (parallel arrays). */
export interface ToroTraceFlows {
  fromCore: number[];
  toCore: number[];
  sent: number[];
  received: number[];
}

/** Per core, the answers of the engine's trace analysis over the window. */
export interface ToroTraceCoreAnalysis {
  core: number;
  windowSeconds: number;
  /** 0..1 */
  haltResidency: number;
  halts: number;
  haltLengths: { label: string; count: number }[];
  /** By wake reason: timer, ipi, device, poll-recheck, unknown. */
  wakeupsPerSecond: Record<string, number>;
  ipiWakeupsPerSecondFrom: Record<string, number>;
  /** The top 5 reasons the core was not halted, largest first; share is of the window. */
  notHalted: { reason: string; seconds: number; share: number }[];
}

export interface ToroTraceWindowBody {
  /** Why there is no event yet (tracing off, no trace section); null once events came. */
  problem: string | null;
  /** The kernel's enabled_kinds word now; null when the kernel has no trace section (yet). */
  enabledKinds: number | null;
  tscHz: number;
  /** The window's span, microseconds of guest time. */
  startMicroseconds: number;
  endMicroseconds: number;
  strings: string[];
  /**
   * What the lanes, markers and flows cover when the request limited them (a range, a pixel width); null
   * when they hold the whole window (or its last lastSeconds), every interval.
   */
  view: { startMicroseconds: number; endMicroseconds: number; widthPx: number | null } | null;
  lanes: ToroTraceLane[];
  flows: ToroTraceFlows;
  analysis: ToroTraceCoreAnalysis[];
}

/**
 * Request: write the window as a Chrome JSON trace (Trace Event Format, one track per core; opens in
 * ui.perfetto.dev). Arguments: ToroTraceExportArguments. Response body: ToroTraceExportBody.
 */
export const TORO_TRACE_EXPORT_REQUEST = "toroTraceExport";

export interface ToroTraceExportArguments {
  /** Absolute path of the file to write (replaced if it exists); its folder must exist. */
  path: string;
}

export interface ToroTraceExportBody {
  path: string;
  /** Trace events written (metadata, slices, instants, flows). */
  events: number;
  cores: number;
}
