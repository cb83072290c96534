// gdb-layout.ts - asks GDB for the C layout of the telemetry structs and enums in an object file with DWARF
// (`ptype/o struct X`, `ptype enum Y`) and parses the answers. Used by test/unit/layout.test.ts to compare
// the C side with src/engine/telemetry/layout.ts.

import { execFileSync } from "node:child_process";

export interface CField {
  offset: number;
  size: number;
}

export interface CStruct {
  name: string;
  size: number;
  fields: Map<string, CField>;
}

const SEPARATOR = "@@toro-layout-separator@@";

/** Runs one GDB batch with every query; returns each answer's text in order. */
function runGdb(objectFile: string, commands: string[]): string[] {
  // The block (123 KiB with 256 cores) is above GDB's default max-value-size of 64 KiB.
  const args = ["-batch", "-nx", "-ex", "set max-value-size unlimited"];
  for (const command of commands) args.push("-ex", command, "-ex", `echo ${SEPARATOR}\\n`);
  args.push(objectFile);
  const output = execFileSync("gdb", args, { encoding: "utf8", timeout: 60_000 });
  return output.split(`${SEPARATOR}\n`).slice(0, commands.length);
}

/**
 * Parses `ptype/o` output: the direct members of the outer struct (nested struct members are expanded by
 * GDB and their name comes on the closing line), and the total size.
 */
export function parsePtypeOffsets(name: string, text: string): CStruct {
  const fields = new Map<string, CField>();
  const pending: CField[] = [];
  let depth = 0;
  let size = -1;
  for (const line of text.split("\n")) {
    const member = /^\/\*\s*(\d+)(?::\s*\d+)?\s*\|\s*(\d+)\s*\*\/\s*(.*)$/.exec(line);
    const body = member === null ? line.trim() : member[3].trim();
    if (member !== null && depth === 1) {
      const field = { offset: Number(member[1]), size: Number(member[2]) };
      if (body.endsWith("{")) {
        pending.push(field);
      } else {
        const declaration = /(\w+)(\[\d+\])*;$/.exec(body);
        if (declaration !== null) fields.set(declaration[1], field);
      }
    }
    const total = /\/\* total size \(bytes\):\s*(\d+) \*\//.exec(line);
    if (total !== null && depth === 1) size = Number(total[1]);
    if (body.endsWith("{")) depth++;
    if (body.startsWith("}")) {
      depth--;
      const closing = /^}\s*(\w+)(\[\d+\])*;$/.exec(body);
      if (closing !== null && depth === 1 && pending.length > 0) fields.set(closing[1], pending.pop()!);
    }
  }
  if (size < 0) throw new Error(`no total size in GDB's ptype/o of struct ${name}:\n${text}`);
  return { name, size, fields };
}

/** Parses `ptype enum X` ("type = enum X {A, B = 5, C}") into enumerator -> value. */
export function parseEnum(text: string): Map<string, number> {
  const body = /\{([^}]*)\}/.exec(text);
  if (body === null) throw new Error(`not an enum in GDB's answer: ${text}`);
  const values = new Map<string, number>();
  let next = 0;
  for (const item of body[1].split(",").map((part) => part.trim())) {
    const [enumerator, explicit] = item.split("=").map((part) => part.trim());
    const value = explicit === undefined ? next : Number(explicit);
    values.set(enumerator, value);
    next = value + 1;
  }
  return values;
}

export function readCLayout(
  objectFile: string,
  structNames: string[],
  enumNames: string[],
): { structs: Map<string, CStruct>; enums: Map<string, Map<string, number>> } {
  const answers = runGdb(objectFile, [
    ...structNames.map((name) => `ptype/o struct ${name}`),
    ...enumNames.map((name) => `ptype enum ${name}`),
  ]);
  const structs = new Map<string, CStruct>();
  structNames.forEach((name, index) => structs.set(name, parsePtypeOffsets(name, answers[index])));
  const enums = new Map<string, Map<string, number>>();
  enumNames.forEach((name, index) => enums.set(name, parseEnum(answers[structNames.length + index])));
  return { structs, enums };
}
