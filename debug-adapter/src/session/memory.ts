// memory.ts - DAP `readMemory` / `writeMemory` through GDB (VM stopped): a memory reference is an address
// (`0x...`, as variables and frames hand them out) plus an offset. Unreadable bytes (unmapped pages; page 0
// is deliberately absent in Toro) are reported as such, never as zeros.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { GdbError, readMemory, writeMemory, type GdbClient } from "../gdb";

/** Largest read answered at once; the client pages through bigger views. */
const MAXIMUM_READ = 1 << 20;

export function parseMemoryReference(reference: string, offset = 0): bigint {
  const text = reference.trim();
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(text)) {
    throw new Error(`memory reference must be an address such as 0x1000, got "${reference}"`);
  }
  const address = BigInt(text) + BigInt(offset);
  if (address < 0n) throw new Error(`address ${address} is negative`);
  return address;
}

export async function readMemoryRequest(
  gdb: GdbClient,
  arguments_: DebugProtocol.ReadMemoryArguments,
): Promise<DebugProtocol.ReadMemoryResponse["body"]> {
  const address = parseMemoryReference(arguments_.memoryReference, arguments_.offset);
  const count = Math.min(arguments_.count, MAXIMUM_READ);
  const formatted = `0x${address.toString(16)}`;
  if (count <= 0) return { address: formatted, data: "" };
  // GDB refuses a range with no readable byte at all ("Unable to read memory"): nothing readable.
  const blocks = await readMemory(gdb, address, count).catch((error: unknown) => {
    if (error instanceof GdbError) return [];
    throw error;
  });
  const first = blocks[0];
  if (first === undefined) return { address: formatted, unreadableBytes: count };
  if (first.address > address) {
    // The start is unreadable: say how much, the client asks again from the first readable byte.
    return { address: formatted, unreadableBytes: Number(first.address - address) };
  }
  // Contiguous bytes from `address` up to the first gap.
  const parts: Buffer[] = [];
  let next = address;
  for (const block of blocks) {
    if (block.address !== next) break;
    parts.push(block.bytes);
    next += BigInt(block.bytes.length);
  }
  const data = Buffer.concat(parts).subarray(0, count);
  return { address: formatted, data: data.toString("base64"), unreadableBytes: count - data.length };
}

export async function writeMemoryRequest(
  gdb: GdbClient,
  arguments_: DebugProtocol.WriteMemoryArguments,
): Promise<DebugProtocol.WriteMemoryResponse["body"]> {
  const address = parseMemoryReference(arguments_.memoryReference, arguments_.offset);
  const bytes = Buffer.from(arguments_.data, "base64");
  await writeMemory(gdb, address, bytes);
  return { bytesWritten: bytes.length };
}
