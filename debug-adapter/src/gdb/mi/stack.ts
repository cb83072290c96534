// stack.ts - GDB/MI "Stack Manipulation": a frame as GDB reports it (StackFrame, parseFrame, also used by
// stop records and thread lists), how a command selects a thread and frame (--thread, --frame), and the
// commands: list frames, the stack depth, a frame's variables. Each function takes the GdbClient.

import {
  optionalIntegerField,
  optionalStringField,
  parseAddress,
  type MiTuple,
  asTuple,
  integerField,
  listField,
  resultListValues,
  stringField,
  type MiValue,
} from "./values";
import type { GdbClient } from "../gdb-client";
import { miCommand } from "./command-line";

export interface StackFrame {
  /** 0 is the innermost frame. Absent in stop records (they always describe frame 0). */
  level?: number;
  /** Program counter of the frame; undefined only if GDB printed no address. */
  address?: bigint;
  /** Function name, or undefined where GDB printed "??" (no symbol). */
  functionName?: string;
  /** The file name as compiled (`k.c`) and the absolute path GDB resolved, when there is line info. */
  file?: string;
  fullPath?: string;
  line?: number;
  /** GDB's name for the frame's architecture, e.g. `i386:x86-64`. */
  architecture?: string;
}

export function parseFrame(frame: MiTuple): StackFrame {
  const functionName = optionalStringField(frame, "func");
  return {
    level: optionalIntegerField(frame, "level"),
    address: parseAddress(optionalStringField(frame, "addr")),
    functionName: functionName === "??" ? undefined : functionName,
    file: optionalStringField(frame, "file"),
    fullPath: optionalStringField(frame, "fullname"),
    line: optionalIntegerField(frame, "line"),
    architecture: optionalStringField(frame, "arch"),
  };
}

/** Which vCPU (GDB thread) and which of its frames a command looks at. */
export interface FrameSelector {
  threadId: number;
  frameLevel: number;
}

/** The MI options that aim a command at `selector`; none means GDB's currently selected thread and frame. */
export function frameOptions(selector: FrameSelector | undefined): (string | number)[] {
  return selector === undefined ? [] : ["--thread", selector.threadId, "--frame", selector.frameLevel];
}

/** The MI option that aims a command at one thread. */
export function threadOptions(threadId: number | undefined): (string | number)[] {
  return threadId === undefined ? [] : ["--thread", threadId];
}

/** How much of each variable to print: `simple` prints scalars and leaves structs and arrays to var objects. */
export type VariableValues = "names-only" | "simple" | "all";

const VALUES_FLAG: Record<VariableValues, string> = {
  "names-only": "--no-values",
  simple: "--simple-values",
  all: "--all-values",
};

export interface FrameVariable {
  name: string;
  /** Present with `simple` values. */
  type?: string;
  /** Absent for names-only, and for structs/arrays with `simple`. */
  value?: string;
  isArgument: boolean;
}

export interface FrameRange {
  lowLevel: number;
  highLevel: number;
}

/** The frames of `threadId`'s stack, innermost first; `range` limits them (both levels inclusive). */
export async function listFrames(
  client: GdbClient,
  threadId: number,
  range?: FrameRange,
): Promise<StackFrame[]> {
  const command = miCommand(
    "-stack-list-frames",
    ...threadOptions(threadId),
    ...(range === undefined ? [] : [range.lowLevel, range.highLevel]),
  );
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  return resultListValues(command, listField(command, results, "stack")).map((frame: MiValue) =>
    parseFrame(asTuple(command, frame)),
  );
}

/** How many frames `threadId` has, counting at most `maximumDepth` when given (deep stacks are slow). */
export async function stackDepth(
  client: GdbClient,
  threadId: number,
  maximumDepth?: number,
): Promise<number> {
  const command = miCommand("-stack-info-depth", ...threadOptions(threadId), maximumDepth);
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  return integerField(command, results, "depth");
}

/** Arguments and locals of one frame. */
export async function listFrameVariables(
  client: GdbClient,
  selector: FrameSelector,
  values: VariableValues = "simple",
): Promise<FrameVariable[]> {
  const command = miCommand("-stack-list-variables", ...frameOptions(selector), VALUES_FLAG[values]);
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  // A list of plain tuples {name, arg?, type?, value?} (not a list of results).
  return listField(command, results, "variables").map((entry) => {
    const tuple = asTuple(command, entry);
    return {
      name: stringField(command, tuple, "name"),
      type: optionalStringField(tuple, "type"),
      value: optionalStringField(tuple, "value"),
      isArgument: optionalStringField(tuple, "arg") === "1",
    };
  });
}
