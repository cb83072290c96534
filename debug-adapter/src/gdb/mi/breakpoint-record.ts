// breakpoint-record.ts - the breakpoint record GDB prints for -break-insert, -break-list and the
// `=breakpoint-modified` notification (which carries the hit count). Pairs with breakpoints.ts (the
// commands) and gdb-client.ts (which turns the notification into a typed event).
// Two shapes exist for multi-location breakpoints: MI3 nests `locations=[...]`; MI2 repeats the tuple
// (`bkpt={parent},{location},...`), which gdb-js collapses into an array.

import {
  asTuple,
  integerField,
  listField,
  optionalIntegerField,
  optionalStringField,
  parseAddress,
  stringField,
  type MiTuple,
  type MiValue,
} from "./values";

export interface BreakpointLocation {
  /** `1` for single-location breakpoints, `1.2` for the second location of breakpoint 1. */
  id: string;
  enabled: boolean;
  address?: bigint;
  functionName?: string;
  file?: string;
  fullPath?: string;
  line?: number;
}

export interface BreakpointRecord {
  number: number;
  /** GDB's type text: `breakpoint`, `hw breakpoint`, `hw watchpoint`, `read watchpoint`, `acc watchpoint`... */
  type: string;
  enabled: boolean;
  /** `keep`, or `del` for temporary breakpoints. */
  disposition: string;
  condition?: string;
  /** Hits GDB will still skip before stopping. */
  ignoreCount: number;
  /** Times hit so far (counted even when the condition or ignore count let the target go on). */
  hitCount: number;
  /** The location as the user wrote it, e.g. `k.c:12` or `tick`; `what` for watchpoints. */
  originalLocation?: string;
  /** Watchpoints: the watched expression. */
  expression?: string;
  /** Set when GDB accepted the location but found no code for it yet. */
  pending?: string;
  locations: BreakpointLocation[];
}

function parseLocation(command: string, tuple: MiTuple): BreakpointLocation {
  return {
    id: stringField(command, tuple, "number"),
    enabled: optionalStringField(tuple, "enabled") !== "n",
    address: parseAddress(optionalStringField(tuple, "addr")),
    functionName: optionalStringField(tuple, "func"),
    file: optionalStringField(tuple, "file"),
    fullPath: optionalStringField(tuple, "fullname"),
    line: optionalIntegerField(tuple, "line"),
  };
}

/** Parses a `bkpt` value (a tuple, or gdb-js's array for the MI2 multi-location shape). */
export function parseBreakpointRecord(command: string, value: MiValue): BreakpointRecord {
  const tuples = Array.isArray(value)
    ? value.map((entry) => asTuple(command, entry))
    : [asTuple(command, value)];
  const [parent, ...mi2Locations] = tuples;
  const mi3Locations = listField(command, parent, "locations").map((entry) => asTuple(command, entry));
  const nested = [...mi3Locations, ...mi2Locations];
  const address = optionalStringField(parent, "addr");
  // A single-location breakpoint carries its location in the parent record itself.
  const locations =
    nested.length > 0
      ? nested.map((tuple) => parseLocation(command, tuple))
      : address === undefined || address === "<PENDING>"
        ? []
        : [parseLocation(command, parent)];
  return {
    number: integerField(command, parent, "number"),
    type: stringField(command, parent, "type"),
    enabled: optionalStringField(parent, "enabled") !== "n",
    disposition: optionalStringField(parent, "disp") ?? "keep",
    condition: optionalStringField(parent, "cond"),
    ignoreCount: optionalIntegerField(parent, "ignore") ?? 0,
    hitCount: optionalIntegerField(parent, "times") ?? 0,
    originalLocation: optionalStringField(parent, "original-location"),
    expression: optionalStringField(parent, "what") ?? optionalStringField(parent, "exp"),
    pending: optionalStringField(parent, "pending"),
    locations,
  };
}
