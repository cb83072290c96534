// code-breakpoints.ts - DAP source breakpoints (per file) and function breakpoints as GDB breakpoints, with
// condition, hit condition and log message. GDB may move a source breakpoint to the next line that has code;
// the verified breakpoint reports that line. Pairs with breakpoint-ledger.ts.

import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { insertBreakpoint, type BreakpointRecord, type BreakpointRequest, type GdbClient } from "../../gdb";
import type { BreakpointLedger, DesiredBreakpoint } from "./breakpoint-ledger";

export type LineConverters = { toGdb: (line: number) => number; toClient: (line: number) => number };

function details(record: BreakpointRecord, lines: LineConverters): Partial<DebugProtocol.Breakpoint> {
  const location = record.locations[0];
  if (location === undefined) {
    return {
      verified: false,
      message: record.pending === undefined ? "no code here" : `pending: ${record.pending}`,
    };
  }
  return {
    verified: true,
    line: location.line === undefined ? undefined : lines.toClient(location.line),
    source:
      location.fullPath === undefined
        ? undefined
        : { name: path.basename(location.fullPath), path: location.fullPath },
    instructionReference: location.address === undefined ? undefined : `0x${location.address.toString(16)}`,
  };
}

function desired(
  gdb: GdbClient,
  key: object,
  request: BreakpointRequest,
  wanted: { condition?: string; hitCondition?: string; logMessage?: string },
  requested: Partial<DebugProtocol.Breakpoint>,
  lines: LineConverters,
): DesiredBreakpoint {
  const condition = wanted.condition?.trim() === "" ? undefined : wanted.condition;
  const full: BreakpointRequest = { ...request, condition };
  return {
    key: JSON.stringify({
      ...key,
      condition,
      hitCondition: wanted.hitCondition,
      logMessage: wanted.logMessage,
    }),
    hitCondition: wanted.hitCondition,
    logMessage: wanted.logMessage,
    requested,
    request: full,
    insert: async (ignoreCount) => {
      const record = await insertBreakpoint(gdb, { ...full, ignoreCount });
      return { number: record.number, details: details(record, lines) };
    },
  };
}

export function setSourceBreakpoints(
  gdb: GdbClient,
  ledger: BreakpointLedger,
  arguments_: DebugProtocol.SetBreakpointsArguments,
  lines: LineConverters,
): Promise<DebugProtocol.Breakpoint[]> {
  const file = arguments_.source.path;
  if (file === undefined) return Promise.resolve([]);
  const wanted = (arguments_.breakpoints ?? []).map((breakpoint) =>
    desired(
      gdb,
      { line: breakpoint.line },
      { location: { kind: "source-line", file, line: lines.toGdb(breakpoint.line) } },
      breakpoint,
      { line: breakpoint.line, source: arguments_.source },
      lines,
    ),
  );
  return ledger.sync(gdb, "source", `source:${file}`, wanted);
}

export function setFunctionBreakpoints(
  gdb: GdbClient,
  ledger: BreakpointLedger,
  arguments_: DebugProtocol.SetFunctionBreakpointsArguments,
  lines: LineConverters,
): Promise<DebugProtocol.Breakpoint[]> {
  const wanted = arguments_.breakpoints.map((breakpoint) =>
    desired(
      gdb,
      { name: breakpoint.name },
      { location: { kind: "function", name: breakpoint.name } },
      breakpoint,
      {},
      lines,
    ),
  );
  return ledger.sync(gdb, "function", "function", wanted);
}
