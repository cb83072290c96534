// frames.ts - the stack frame record GDB prints in stop events, -stack-list-frames and -thread-info, and the
// `--thread N --frame L` options that aim a command at one vCPU's frame. Shared by stop-event.ts, stack.ts,
// threads.ts, data.ts and variables.ts.

import { optionalIntegerField, optionalStringField, parseAddress, type MiTuple } from "./values";

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
