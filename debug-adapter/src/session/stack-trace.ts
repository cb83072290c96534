// stack-trace.ts - the DAP `stackTrace` of one vCPU or kernel thread and the frame ids handed out for it. A
// frame id stands for (GDB thread, frame level, and the kernel thread GDB must be showing for that level to be
// the thread's: ../engine/launch/kernel-threads.ts) and is valid until the VM resumes (FrameRegistry.clear). Frames
// without line information (firmware, assembly without DWARF) are shown by address, de-emphasized. After a
// CPU exception the code it interrupted follows, rebuilt by the engine (GDB cannot unwind there).
// Pairs with variables/scopes.ts and evaluate.ts, which take these ids.

import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import {
  formatAddress,
  GdbError,
  listFrames,
  type FrameSelector,
  type GdbClient,
  type StackFrame,
} from "../gdb";
import type { InterruptedFrame } from "../engine/launch/interrupted-frames";
import type { KernelThreadView } from "../engine/launch/kernel-threads";

/** A frame of the Call Stack: a GDB frame, seen with kernel thread `kernelThread` shown (undefined: a vCPU's). */
export interface SessionFrame extends FrameSelector {
  kernelThread?: number;
}

export class FrameRegistry {
  private nextId = 1;
  private readonly frames = new Map<number, SessionFrame>();
  private readonly ids = new Map<string, number>();
  /** Ids of frames GDB does not know (code interrupted by a CPU exception): they have no scopes. */
  private readonly synthetic = new Set<number>();

  /** An id for a frame rebuilt outside GDB. */
  syntheticId(): number {
    const id = this.nextId++;
    this.synthetic.add(id);
    return id;
  }

  isSynthetic(frameId: number): boolean {
    return this.synthetic.has(frameId);
  }

  idOf(selector: SessionFrame): number {
    const key = `${selector.threadId}:${selector.frameLevel}:${selector.kernelThread ?? "vcpu"}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(key, id);
      this.frames.set(id, selector);
    }
    return id;
  }

  get(frameId: number): SessionFrame | undefined {
    return this.frames.get(frameId);
  }

  clear(): void {
    this.frames.clear();
    this.ids.clear();
    this.synthetic.clear();
  }
}

/** Converts a GDB line to the client's numbering (DAP clients may count lines from 0). */
export type LineConverter = (line: number) => number;

function toFrame(
  frame: StackFrame,
  level: number,
  id: number,
  clientLine: LineConverter,
): DebugProtocol.StackFrame {
  const address = frame.address === undefined ? undefined : formatAddress(frame.address);
  const name = frame.functionName ?? address ?? "??";
  const hasSource = frame.fullPath !== undefined && frame.line !== undefined;
  return {
    id,
    name,
    source: hasSource ? { name: path.basename(frame.fullPath!), path: frame.fullPath } : undefined,
    line: hasSource ? clientLine(frame.line!) : 0,
    column: hasSource ? 1 : 0,
    instructionPointerReference: address,
    presentationHint: hasSource ? (level === 0 ? "normal" : undefined) : "subtle",
  };
}

/** The code a CPU exception interrupted, below a label naming the exception (frames GDB cannot unwind to). */
function interruptedStack(
  registry: FrameRegistry,
  interrupted: { frames: InterruptedFrame[]; label: string },
  clientLine: LineConverter,
): DebugProtocol.StackFrame[] {
  const label: DebugProtocol.StackFrame = {
    id: registry.syntheticId(),
    name: `── interrupted by ${interrupted.label} ──`,
    line: 0,
    column: 0,
    presentationHint: "label",
  };
  return [
    label,
    ...interrupted.frames.map((frame) =>
      toFrame(
        {
          address: frame.address,
          functionName: frame.functionName,
          fullPath: frame.fullPath,
          line: frame.line,
        },
        -1,
        registry.syntheticId(),
        clientLine,
      ),
    ),
  ];
}

/** A level past any real stack, for "every frame from here on" (GDB reads the bound as a C int). */
const DEEPEST_LEVEL = 100_000;

/**
 * The frames of vCPU (GDB thread) `threadId`, or with `view`, of the kernel thread GDB is showing: that view's
 * GDB thread from its first level on (DAP frame 0 is GDB level `view.firstLevel`).
 */
export async function stackTrace(
  gdb: GdbClient,
  registry: FrameRegistry,
  threadId: number,
  arguments_: DebugProtocol.StackTraceArguments,
  clientLine: LineConverter,
  interrupted?: { frames: InterruptedFrame[]; label: string },
  view?: KernelThreadView,
): Promise<DebugProtocol.StackTraceResponse["body"]> {
  const gdbThreadId = view?.gdbThreadId ?? threadId;
  const offset = view?.firstLevel ?? 0;
  const start = Math.max(0, arguments_.startFrame ?? 0);
  const levels = arguments_.levels ?? 0;
  const range =
    levels > 0 || offset > 0
      ? { lowLevel: offset + start, highLevel: levels > 0 ? offset + start + levels - 1 : DEEPEST_LEVEL }
      : undefined;
  const frames = await listFrames(gdb, gdbThreadId, range).catch((error: unknown) => {
    // GDB refuses a page that starts past the outermost frame ("Not enough frames in stack").
    if ((start > 0 || offset > 0) && error instanceof GdbError) return [];
    throw error;
  });
  const stackFrames = frames.map((frame, index) => {
    const level = frame.level ?? offset + start + index;
    const selector = { threadId: gdbThreadId, frameLevel: level, kernelThread: view?.threadId };
    return toFrame(frame, level - offset, registry.idOf(selector), clientLine);
  });
  // A full page may have more behind it: say one more, so the client asks for the next page.
  const complete = levels === 0 || frames.length < levels;
  if (complete && interrupted !== undefined && interrupted.frames.length > 0) {
    stackFrames.push(...interruptedStack(registry, interrupted, clientLine));
  }
  const totalFrames = complete ? start + stackFrames.length : start + stackFrames.length + 1;
  return { stackFrames, totalFrames };
}
