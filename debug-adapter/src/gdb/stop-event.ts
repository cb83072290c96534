// stop-event.ts - the typed form of GDB's `*stopped` record: why the target stopped, on which vCPU, where,
// and the breakpoint/watchpoint/signal details. Produced by gdb-client.ts for its 'stopped' event.
// All-stop mode: whatever thread reported the stop, every vCPU is stopped (`stopped-threads="all"`).

import { parseFrame, type StackFrame } from "./mi/stack";
import { optionalIntegerField, optionalStringField, optionalTupleField, type MiTuple } from "./mi/values";

/** GDB/MI stop reasons (GDB manual, "GDB/MI Async Records"), plus `none` and `other`. */
export type StopReason =
  | "breakpoint-hit"
  | "watchpoint-trigger"
  | "read-watchpoint-trigger"
  | "access-watchpoint-trigger"
  | "watchpoint-scope"
  | "function-finished"
  | "location-reached"
  | "end-stepping-range"
  | "signal-received"
  | "exited-signalled"
  | "exited"
  | "exited-normally"
  | "solib-event"
  | "no-history"
  /** No reason given: the stop GDB reports right after `target remote` connects. */
  | "none"
  /** A reason this list does not know; see `rawReason`. */
  | "other";

const KNOWN_REASONS: ReadonlySet<string> = new Set([
  "breakpoint-hit",
  "watchpoint-trigger",
  "read-watchpoint-trigger",
  "access-watchpoint-trigger",
  "watchpoint-scope",
  "function-finished",
  "location-reached",
  "end-stepping-range",
  "signal-received",
  "exited-signalled",
  "exited",
  "exited-normally",
  "solib-event",
  "no-history",
]);

/** What a watchpoint saw: `oldValue`/`newValue` for write watchpoints, `value` for read/access ones. */
export interface WatchpointHit {
  number: number;
  expression: string;
  oldValue?: string;
  newValue?: string;
  value?: string;
}

export interface StopEvent {
  reason: StopReason;
  /** GDB's reason text as printed (useful when `reason` is `other`). */
  rawReason?: string;
  /** The GDB thread (vCPU, see vcpu.ts) that reported the stop. */
  threadId?: number;
  /** Where that thread stopped. */
  frame?: StackFrame;
  breakpointNumber?: number;
  watchpoint?: WatchpointHit;
  /** For `signal-received`: e.g. SIGINT after an interrupt, SIGTRAP for an unexpected trap. */
  signalName?: string;
  signalMeaning?: string;
  /** For `function-finished` when the function returns a value. */
  returnValue?: string;
  /** For exits: the exit code GDB reported, if any. */
  exitCode?: string;
  /** `all` in all-stop mode; a list of thread ids otherwise. */
  stoppedThreads: "all" | number[];
  /** The untouched record, for details this type does not lift. */
  raw: MiTuple;
}

/** GDB's record names: `wpt` (write, hardware or software), `hw-rwpt` (read), `hw-awpt` (access). */
const WATCHPOINT_KEYS = ["wpt", "hw-rwpt", "hw-awpt"];

function parseWatchpoint(record: MiTuple): WatchpointHit | undefined {
  for (const key of WATCHPOINT_KEYS) {
    const tuple = optionalTupleField(record, key);
    if (tuple !== undefined) {
      const values = optionalTupleField(record, "value") ?? {};
      return {
        number: optionalIntegerField(tuple, "number") ?? 0,
        expression: optionalStringField(tuple, "exp") ?? "",
        oldValue: optionalStringField(values, "old"),
        newValue: optionalStringField(values, "new"),
        value: optionalStringField(values, "value"),
      };
    }
  }
  return undefined;
}

function parseStoppedThreads(record: MiTuple): "all" | number[] {
  const value = record["stopped-threads"];
  if (Array.isArray(value)) {
    return value
      .filter((item): item is string => typeof item === "string")
      .map((item) => Number.parseInt(item, 10));
  }
  return "all";
}

export function parseStopEvent(record: MiTuple): StopEvent {
  const rawReason = optionalStringField(record, "reason");
  const reason: StopReason =
    rawReason === undefined ? "none" : KNOWN_REASONS.has(rawReason) ? (rawReason as StopReason) : "other";
  const frame = optionalTupleField(record, "frame");
  return {
    reason,
    rawReason,
    threadId: optionalIntegerField(record, "thread-id"),
    frame: frame === undefined ? undefined : parseFrame(frame),
    breakpointNumber: optionalIntegerField(record, "bkptno"),
    watchpoint: parseWatchpoint(record),
    signalName: optionalStringField(record, "signal-name"),
    signalMeaning: optionalStringField(record, "signal-meaning"),
    returnValue: optionalStringField(record, "return-value"),
    exitCode: optionalStringField(record, "exit-code"),
    stoppedThreads: parseStoppedThreads(record),
    raw: record,
  };
}

/** Stops after which no target is left to inspect (GDB also reports `=thread-group-exited`). */
export function isTargetGone(event: StopEvent): boolean {
  return (
    event.reason === "exited" || event.reason === "exited-normally" || event.reason === "exited-signalled"
  );
}
