// disassemble.ts - DAP `disassemble`: `instructionCount` instructions starting `instructionOffset`
// instructions away from an address (negative: before it, which x86's variable-length encoding makes a
// search: decoding starts far enough back and is accepted once it lands exactly on the address). Each
// instruction carries its bytes, symbol and source line. Unreadable memory becomes "??" placeholders so the
// client always gets the count it asked for. Pairs with ../gdb/mi/disassembly.ts.

import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { disassembleRange, GdbError, type GdbClient, type Instruction } from "../gdb";
import { parseMemoryReference } from "./memory";
import type { LineConverter } from "./stack-trace";

/** The longest x86 instruction. */
const MAXIMUM_INSTRUCTION_BYTES = 15;
/** Start shifts tried when decoding backwards does not land on the address. */
const SYNC_ATTEMPTS = 4;

async function decode(gdb: GdbClient, start: bigint, end: bigint): Promise<Instruction[] | undefined> {
  if (end <= start) return [];
  try {
    return await disassembleRange(gdb, start, end, "with-source");
  } catch (error) {
    if (error instanceof GdbError) return undefined; // unreadable memory
    throw error;
  }
}

/** Up to `count` instructions that end exactly at `base`, in address order. */
async function instructionsBefore(gdb: GdbClient, base: bigint, count: number): Promise<Instruction[]> {
  if (count <= 0) return [];
  const span = BigInt(count * MAXIMUM_INSTRUCTION_BYTES);
  for (let shift = 0; shift < SYNC_ATTEMPTS; shift++) {
    const start = base > span + BigInt(shift) ? base - span - BigInt(shift) : 0n;
    const decoded = await decode(gdb, start, base + 1n);
    const landing = decoded?.findIndex((instruction) => instruction.address === base) ?? -1;
    if (decoded !== undefined && landing >= 0) return decoded.slice(Math.max(0, landing - count), landing);
    if (start === 0n) break;
  }
  return [];
}

/** Up to `count` instructions from `base` on. */
async function instructionsFrom(gdb: GdbClient, base: bigint, count: number): Promise<Instruction[]> {
  if (count <= 0) return [];
  const decoded = await decode(gdb, base, base + BigInt(count * MAXIMUM_INSTRUCTION_BYTES));
  return (decoded ?? []).slice(0, count);
}

function toDap(instruction: Instruction, clientLine: LineConverter): DebugProtocol.DisassembledInstruction {
  const source = instruction.source;
  const offset = instruction.offset === undefined ? "" : `+${instruction.offset}`;
  return {
    address: `0x${instruction.address.toString(16)}`,
    instructionBytes: instruction.opcodes,
    instruction: instruction.text,
    symbol: instruction.functionName === undefined ? undefined : `${instruction.functionName}${offset}`,
    location:
      source?.fullPath === undefined
        ? undefined
        : { name: path.basename(source.fullPath), path: source.fullPath },
    line: source === undefined ? undefined : clientLine(source.line),
  };
}

function placeholder(address: bigint): DebugProtocol.DisassembledInstruction {
  return {
    address: `0x${(address < 0n ? 0n : address).toString(16)}`,
    instruction: "??",
    presentationHint: "invalid",
  };
}

export async function disassemble(
  gdb: GdbClient,
  arguments_: DebugProtocol.DisassembleArguments,
  clientLine: LineConverter,
): Promise<DebugProtocol.DisassembleResponse["body"]> {
  const base = parseMemoryReference(arguments_.memoryReference, arguments_.offset);
  const skip = arguments_.instructionOffset ?? 0;
  const count = Math.max(0, arguments_.instructionCount);
  const before = await instructionsBefore(gdb, base, Math.max(0, -skip));
  const after = await instructionsFrom(gdb, base, Math.max(0, skip + count));
  // Index 0 is the instruction at `base`; the client wants indices skip .. skip + count - 1.
  const result: DebugProtocol.DisassembledInstruction[] = [];
  for (let index = skip; index < skip + count; index++) {
    const instruction = index < 0 ? before[before.length + index] : after[index];
    result.push(
      instruction === undefined ? placeholder(base + BigInt(index)) : toDap(instruction, clientLine),
    );
  }
  return { instructions: result };
}
