// values.ts - typed access to MI values as gdb-js hands them over (strings, tuples, lists), shared by every
// command group in this folder. Pairs with gdb-process.ts, which produces them, and the mi/*.ts parsers.
// gdb-js quirks handled here: a list of results (`[frame={..},frame={..}]`) arrives as `{name, value}`
// objects, and a tuple key that appears twice (`bkpt={..},{..}`) collapses into an array.

import { MiShapeError } from "../errors";

export type MiValue = string | MiTuple | MiValue[];

export interface MiTuple {
  [name: string]: MiValue | undefined;
}

function isTuple(value: MiValue | undefined): value is MiTuple {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads `tuple[name]` as a string; throws MiShapeError (naming `command`) when absent or not a string. */
export function stringField(command: string, tuple: MiTuple, name: string): string {
  const value = tuple[name];
  if (typeof value !== "string") {
    throw new MiShapeError(command, `field "${name}" is missing or not a string`);
  }
  return value;
}

export function optionalStringField(tuple: MiTuple, name: string): string | undefined {
  const value = tuple[name];
  return typeof value === "string" ? value : undefined;
}

export function integerField(command: string, tuple: MiTuple, name: string): number {
  const parsed = Number.parseInt(stringField(command, tuple, name), 10);
  if (!Number.isFinite(parsed)) {
    throw new MiShapeError(command, `field "${name}" is not an integer`);
  }
  return parsed;
}

export function optionalIntegerField(tuple: MiTuple, name: string): number | undefined {
  const text = optionalStringField(tuple, name);
  if (text === undefined) {
    return undefined;
  }
  const parsed = Number.parseInt(text, 10);
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function tupleField(command: string, tuple: MiTuple, name: string): MiTuple {
  const value = tuple[name];
  if (!isTuple(value)) {
    throw new MiShapeError(command, `field "${name}" is missing or not a tuple`);
  }
  return value;
}

export function optionalTupleField(tuple: MiTuple, name: string): MiTuple | undefined {
  const value = tuple[name];
  return isTuple(value) ? value : undefined;
}

/** Reads a list field; a missing field reads as an empty list (GDB omits empty lists in some replies). */
export function listField(command: string, tuple: MiTuple, name: string): MiValue[] {
  const value = tuple[name];
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new MiShapeError(command, `field "${name}" is not a list`);
  }
  return value;
}

/** Asserts a list element (or any value) is a tuple. */
export function asTuple(command: string, value: MiValue | undefined): MiTuple {
  if (!isTuple(value)) {
    throw new MiShapeError(command, "expected a tuple");
  }
  return value;
}

/**
 * Unwraps an MI "list of results" (`[frame={...},frame={...}]`), which gdb-js delivers as
 * `[{name: "frame", value: {...}}, ...]`. Only call this where the MI manual documents a list of results:
 * a list of plain tuples that happen to have `name`/`value` keys (e.g. -stack-list-variables) looks the same.
 */
export function resultListValues(command: string, list: MiValue[]): MiValue[] {
  return list.map((entry) => {
    const tuple = asTuple(command, entry);
    if (typeof tuple.name !== "string" || tuple.value === undefined) {
      throw new MiShapeError(command, "expected a list of results");
    }
    return tuple.value;
  });
}

/**
 * Parses an MI address ("0x000000000010006a") as a bigint, since kernel addresses exceed 2^53.
 * Returns undefined for GDB's placeholders ("<PENDING>", "<MULTIPLE>") and anything else non-numeric.
 */
export function parseAddress(text: string | undefined): bigint | undefined {
  if (text === undefined || !/^0x[0-9a-fA-F]+$/.test(text)) {
    return undefined;
  }
  return BigInt(text);
}

/** Formats an address the way GDB accepts it in expressions and MI arguments. */
export function formatAddress(address: bigint): string {
  if (address < 0n) {
    throw new RangeError(`negative address ${address}`);
  }
  return `0x${address.toString(16)}`;
}
