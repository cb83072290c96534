// interrupted-frames.ts - the code a CPU exception interrupted, for the Call Stack. GDB's unwinding stops at
// the kernel's assembly interrupt stub (no CFI there), so the frames below the exception handler are rebuilt
// from the trap frame handed to panic_with_frame: its rip (the faulting instruction) and its rbp, then the
// frame-pointer chain (the kernel and apps keep frame pointers: saved rbp at [rbp], return address at
// [rbp + 8]). Each address is named by GDB (function, source line). Used by debug-target.ts at panic stops.

import { disassembleRange, evaluateExpression, readMemory, type GdbClient } from "../../gdb";

export interface InterruptedFrame {
  address: bigint;
  functionName?: string;
  offset?: number;
  fullPath?: string;
  line?: number;
}

/** Frames beyond this many are not followed (a corrupt chain must not loop). */
const MAXIMUM_FRAMES = 16;

async function describeAddress(
  gdb: GdbClient,
  address: bigint,
  isReturnAddress: boolean,
): Promise<InterruptedFrame> {
  // A return address points after the call; the call itself (address - 1) names the caller's line.
  const lookup = isReturnAddress ? address - 1n : address;
  try {
    const [instruction] = await disassembleRange(gdb, lookup, lookup + 1n, "with-source");
    return {
      address,
      functionName: instruction?.functionName,
      offset: instruction?.offset,
      fullPath: instruction?.source?.fullPath,
      line: instruction?.source?.line,
    };
  } catch {
    return { address };
  }
}

/**
 * At a stop on panic_with_frame(message, frame) for a CPU exception, on GDB thread `threadId`: the faulting
 * instruction first, then its callers. Empty when the trap frame cannot be read.
 */
export async function interruptedFrames(gdb: GdbClient, threadId: number): Promise<InterruptedFrame[]> {
  const selector = { threadId, frameLevel: 0 };
  let rip: bigint;
  let rbp: bigint;
  try {
    rip = BigInt((await evaluateExpression(gdb, "(unsigned long) frame->rip", selector)).trim());
    rbp = BigInt((await evaluateExpression(gdb, "(unsigned long) frame->rbp", selector)).trim());
  } catch {
    return [];
  }
  const addresses = [rip];
  while (addresses.length < MAXIMUM_FRAMES && rbp !== 0n && rbp % 8n === 0n) {
    const blocks = await readMemory(gdb, rbp, 16).catch(() => []);
    const bytes = blocks[0]?.address === rbp ? blocks[0].bytes : undefined;
    if (bytes === undefined || bytes.length < 16) break;
    const savedRbp = bytes.readBigUInt64LE(0);
    const returnAddress = bytes.readBigUInt64LE(8);
    if (returnAddress === 0n) break;
    addresses.push(returnAddress);
    if (savedRbp <= rbp) break; // the chain must climb the stack; anything else is the end or garbage
    rbp = savedRbp;
  }
  const frames: InterruptedFrame[] = [];
  for (const [index, address] of addresses.entries()) {
    frames.push(await describeAddress(gdb, address, index > 0));
  }
  // Past the thread's first function the chain reaches the scheduler's trampoline; stop at unnamed code.
  const end = frames.findIndex((frame, index) => index > 0 && frame.functionName === undefined);
  return end < 0 ? frames : frames.slice(0, end);
}
