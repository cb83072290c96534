// stack.ts - GDB/MI "Stack Manipulation": a vCPU's call stack, its depth, and the locals and arguments of
// one frame. Frames are parsed by frames.ts; structured values are expanded through variables.ts.

import type { GdbClient } from "../gdb-client";
import { miCommand } from "./command-line";
import { frameOptions, parseFrame, threadOptions, type FrameSelector, type StackFrame } from "./frames";
import {
  asTuple,
  integerField,
  listField,
  optionalStringField,
  resultListValues,
  stringField,
  type MiValue,
} from "./values";

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
