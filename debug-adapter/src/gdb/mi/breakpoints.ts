// breakpoints.ts - GDB/MI "Breakpoint Commands": insert (source line, function, address; condition, ignore
// count, hardware, temporary, disabled), delete, enable/disable, change condition or ignore count, list, and
// watchpoints (write, read, access). Records are parsed by breakpoint-record.ts.
// For logpoints the adapter needs: a breakpoint number in each stop (StopEvent.breakpointNumber),
// evaluateExpression (data.ts), then continueExecution (execution.ts).
// GDB can insert breakpoints into QEMU only while the VM is stopped: every command here needs a target that
// is not running (sending one while it runs left stale breakpoints inside QEMU in our experiments).

import type { GdbClient } from "../gdb-client";
import { GdbError, MiShapeError } from "../errors";
import { parseBreakpointRecord, type BreakpointRecord } from "./breakpoint-record";
import { miCommand } from "./command-line";
import {
  asTuple,
  formatAddress,
  integerField,
  resultListValues,
  stringField,
  tupleField,
  type MiTuple,
} from "./values";

export type BreakpointLocationSpec =
  | { kind: "source-line"; file: string; line: number }
  | { kind: "function"; name: string }
  | { kind: "address"; address: bigint };

export interface BreakpointRequest {
  location: BreakpointLocationSpec;
  /** Stop only when this C expression is true (evaluated by GDB at each hit; the VM stops briefly). */
  condition?: string;
  /** Skip this many hits that pass the condition before stopping (DAP hit counts build on it). */
  ignoreCount?: number;
  /** `hardware` uses a debug-register breakpoint (`-h`): needed for code not yet loaded or read-only. */
  kind?: "software" | "hardware";
  /** `temporary` deletes the breakpoint at its first stop. */
  lifetime?: "permanent" | "temporary";
  initialState?: "enabled" | "disabled";
  /** Stop only on this vCPU's thread. */
  threadId?: number;
}

export type WatchpointAccess = "write" | "read" | "access";

export interface WatchpointRecord {
  number: number;
  expression: string;
  access: WatchpointAccess;
  /** False for a software watchpoint (single-steps the VM: very slow); QEMU normally grants hardware ones. */
  hardware: boolean;
}

const ACCESS_FLAGS: Record<WatchpointAccess, string | undefined> = {
  write: undefined,
  read: "-r",
  access: "-a",
};

function locationText(location: BreakpointLocationSpec): string {
  switch (location.kind) {
    case "source-line":
      if (!Number.isInteger(location.line) || location.line < 1) {
        throw new RangeError(`source line must be a positive integer, got ${location.line}`);
      }
      return `${location.file}:${location.line}`;
    case "function":
      return location.name;
    case "address":
      return `*${formatAddress(location.address)}`;
  }
}

export async function insertBreakpoint(
  client: GdbClient,
  request: BreakpointRequest,
): Promise<BreakpointRecord> {
  const ignoreCount = request.ignoreCount ?? 0;
  if (!Number.isInteger(ignoreCount) || ignoreCount < 0) {
    throw new RangeError(`ignore count must be a non-negative integer, got ${ignoreCount}`);
  }
  const command = miCommand(
    "-break-insert",
    request.kind === "hardware" ? "-h" : undefined,
    request.lifetime === "temporary" ? "-t" : undefined,
    request.initialState === "disabled" ? "-d" : undefined,
    ...(request.condition === undefined ? [] : ["-c", request.condition]),
    ...(ignoreCount === 0 ? [] : ["-i", ignoreCount]),
    ...(request.threadId === undefined ? [] : ["-p", request.threadId]),
    "--",
    locationText(request.location),
  );
  const { results } = await client.execute(command, { requirement: "target-not-running" });
  if (results.bkpt === undefined) {
    throw new MiShapeError(command, "no bkpt record");
  }
  return parseBreakpointRecord(command, results.bkpt);
}

/** Checks that GDB printed no "No breakpoint number N." (enable/disable report unknown numbers only so). */
async function changeBreakpoints(
  client: GdbClient,
  operation: string,
  numbers: readonly number[],
): Promise<void> {
  if (numbers.length === 0) {
    return;
  }
  const command = miCommand(operation, ...numbers);
  const { consoleOutput } = await client.execute(command, { requirement: "target-not-running" });
  const complaint = /No breakpoint number [^\n]*/.exec(consoleOutput);
  if (complaint !== null) {
    throw new GdbError(command, complaint[0]);
  }
}

export async function deleteBreakpoints(client: GdbClient, numbers: readonly number[]): Promise<void> {
  await changeBreakpoints(client, "-break-delete", numbers);
}

export async function enableBreakpoints(client: GdbClient, numbers: readonly number[]): Promise<void> {
  await changeBreakpoints(client, "-break-enable", numbers);
}

export async function disableBreakpoints(client: GdbClient, numbers: readonly number[]): Promise<void> {
  await changeBreakpoints(client, "-break-disable", numbers);
}

/**
 * Replaces the condition; an empty `condition` removes it. -break-condition hands its raw argument text to
 * the CLI `condition` command, so the expression is appended unquoted (quotes would become part of it).
 */
export async function setBreakpointCondition(
  client: GdbClient,
  number: number,
  condition: string,
): Promise<void> {
  if (/[\r\n]/.test(condition)) {
    throw new RangeError("a breakpoint condition must be a single line");
  }
  const command = miCommand("-break-condition", number) + (condition === "" ? "" : ` ${condition}`);
  await client.execute(command, { requirement: "target-not-running" });
}

export async function setBreakpointIgnoreCount(
  client: GdbClient,
  number: number,
  ignoreCount: number,
): Promise<void> {
  await client.execute(miCommand("-break-after", number, ignoreCount), { requirement: "target-not-running" });
}

async function readBreakpointTable(client: GdbClient, command: string): Promise<BreakpointRecord[]> {
  const { results } = await client.execute(command, { requirement: "target-not-running" });
  // GDB names the table `BreakpointTable`; the line guard lowercases it for gdb-js's grammar.
  const table = tupleField(command, results, "breakpointtable");
  const body = table.body;
  if (!Array.isArray(body)) {
    return [];
  }
  return resultListValues(command, body).map((value) => parseBreakpointRecord(command, value));
}

/** Every breakpoint and watchpoint with its hit count. */
export async function listBreakpoints(client: GdbClient): Promise<BreakpointRecord[]> {
  return readBreakpointTable(client, "-break-list");
}

/** One breakpoint or watchpoint by number. */
export async function getBreakpoint(client: GdbClient, number: number): Promise<BreakpointRecord> {
  const command = miCommand("-break-info", number);
  const [record] = await readBreakpointTable(client, command);
  if (record === undefined) {
    throw new MiShapeError(command, "empty breakpoint table");
  }
  return record;
}

/** Stops when `expression` is written (`write`), read (`read`) or either (`access`). */
export async function insertWatchpoint(
  client: GdbClient,
  expression: string,
  access: WatchpointAccess = "write",
): Promise<WatchpointRecord> {
  const command = miCommand("-break-watch", ACCESS_FLAGS[access], expression);
  const { results } = await client.execute(command, { requirement: "target-not-running" });
  // GDB names the record `wpt` for software and hardware write watchpoints alike.
  const key = ["wpt", "hw-rwpt", "hw-awpt"].find((name) => results[name] !== undefined);
  if (key === undefined) {
    throw new MiShapeError(command, "no watchpoint record");
  }
  const tuple: MiTuple = asTuple(command, results[key]);
  const number = integerField(command, tuple, "number");
  // Only the table says which kind GDB chose: "hw watchpoint" / "read watchpoint" / "acc watchpoint",
  // or plain "watchpoint" when it fell back to single-stepping.
  const { type } = await getBreakpoint(client, number);
  return { number, expression: stringField(command, tuple, "exp"), access, hardware: type !== "watchpoint" };
}
