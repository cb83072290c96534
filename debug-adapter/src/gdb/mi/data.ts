// data.ts - GDB/MI "Data Manipulation": evaluate an expression, read register names and values, read and
// write target memory. Pairs with variables.ts (structured, assignable values) and disassembly.ts.
// Addresses are bigints (kernel addresses exceed 2^53); a string address is a GDB expression (`&scratch`).

import { MiShapeError } from "../errors";
import type { GdbClient } from "../gdb-client";
import { miCommand } from "./command-line";
import { frameOptions, type FrameSelector } from "./stack";
import { asTuple, formatAddress, integerField, listField, parseAddress, stringField } from "./values";

export type MemoryAddress = bigint | string;

export type RegisterFormat = "hexadecimal" | "decimal" | "octal" | "binary" | "raw" | "natural";

const FORMAT_LETTER: Record<RegisterFormat, string> = {
  hexadecimal: "x",
  decimal: "d",
  octal: "o",
  binary: "t",
  raw: "r",
  natural: "N",
};

export interface RegisterName {
  /** GDB's register number: the index -data-list-register-values takes. */
  number: number;
  name: string;
}

export interface RegisterValue {
  number: number;
  value: string;
}

/** One readable run of memory. Unreadable gaps in a request are simply missing between blocks. */
export interface MemoryBlock {
  address: bigint;
  bytes: Buffer;
}

function addressArgument(address: MemoryAddress): string {
  return typeof address === "bigint" ? formatAddress(address) : address;
}

/** Evaluates a C expression in the selected (or given) frame; returns GDB's printed value. */
export async function evaluateExpression(
  client: GdbClient,
  expression: string,
  selector?: FrameSelector,
): Promise<string> {
  const command = miCommand("-data-evaluate-expression", ...frameOptions(selector), expression);
  const { results } = await client.execute(command, { requirement: "target-not-running" });
  return stringField(command, results, "value");
}

/** The target's registers by number (GDB leaves unnamed gaps in the numbering; they are omitted). */
export async function listRegisterNames(client: GdbClient): Promise<RegisterName[]> {
  const command = "-data-list-register-names";
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  return listField(command, results, "register-names")
    .map((name, number) => ({ number, name: typeof name === "string" ? name : "" }))
    .filter((register) => register.name !== "");
}

/** Register values of one frame (default: the selected one); `registerNumbers` limits which. */
export async function readRegisterValues(
  client: GdbClient,
  options: { format?: RegisterFormat; registerNumbers?: readonly number[]; selector?: FrameSelector } = {},
): Promise<RegisterValue[]> {
  const command = miCommand(
    "-data-list-register-values",
    ...frameOptions(options.selector),
    "--skip-unavailable",
    FORMAT_LETTER[options.format ?? "hexadecimal"],
    ...(options.registerNumbers ?? []),
  );
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  return listField(command, results, "register-values").map((entry) => {
    const tuple = asTuple(command, entry);
    return { number: integerField(command, tuple, "number"), value: stringField(command, tuple, "value") };
  });
}

/** Reads `length` bytes from `address`; returns the readable blocks in address order. */
export async function readMemory(
  client: GdbClient,
  address: MemoryAddress,
  length: number,
): Promise<MemoryBlock[]> {
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(`memory read length must be a positive integer, got ${length}`);
  }
  const command = miCommand("-data-read-memory-bytes", addressArgument(address), length);
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  return listField(command, results, "memory").map((entry) => {
    const tuple = asTuple(command, entry);
    // `begin` is the block's own address (`offset` is only its distance from the requested address).
    const begin = parseAddress(stringField(command, tuple, "begin"));
    if (begin === undefined) {
      throw new MiShapeError(command, "memory block without an address");
    }
    return { address: begin, bytes: Buffer.from(stringField(command, tuple, "contents"), "hex") };
  });
}

/** Writes `bytes` at `address`. */
export async function writeMemory(
  client: GdbClient,
  address: MemoryAddress,
  bytes: Uint8Array,
): Promise<void> {
  if (bytes.length === 0) {
    return;
  }
  const command = miCommand(
    "-data-write-memory-bytes",
    addressArgument(address),
    Buffer.from(bytes).toString("hex"),
  );
  await client.execute(command, { requirement: "stopped-target" });
}
