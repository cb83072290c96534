// registers.ts - the "Registers" scope of one frame: general-purpose, instruction pointer, flags (decoded),
// segment and control registers (QEMU's x86-64 target also reports fs_base, gs_base, cr0-cr4, efer), in hex;
// x87, SSE and AVX registers in a collapsed group. Assigning writes `$name = value`. Pairs with scopes.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import {
  evaluateExpression,
  listRegisterNames,
  readRegisterValues,
  type FrameSelector,
  type GdbClient,
  type RegisterName,
} from "../../gdb";
import type { VariableContainer, VariableStore } from "./variable-store";

/** Floating-point and vector registers: listed in their own group, they would drown the useful ones. */
const VECTOR_REGISTER = /^(st\d|f(ctrl|stat|tag|iseg|ioff|oseg|ooff|op)|[xyz]mm\d+[hl]?|mxcsr|k\d|orig_rax)$/;
/** Registers whose natural format says more than hex (decoded flags). */
const NATURAL_FORMAT = new Set(["eflags"]);

const registerNames = new WeakMap<GdbClient, Promise<RegisterName[]>>();

/** The target's register names, asked once per GDB (they do not change during a session). */
function namesOf(gdb: GdbClient): Promise<RegisterName[]> {
  let names = registerNames.get(gdb);
  if (names === undefined) {
    names = listRegisterNames(gdb);
    names.catch(() => registerNames.delete(gdb));
    registerNames.set(gdb, names);
  }
  return names;
}

async function readGroup(
  gdb: GdbClient,
  selector: FrameSelector,
  group: RegisterName[],
): Promise<DebugProtocol.Variable[]> {
  if (group.length === 0) return [];
  const numbers = group.map((register) => register.number);
  const values = new Map(
    (await readRegisterValues(gdb, { selector, format: "hexadecimal", registerNumbers: numbers })).map(
      (entry) => [entry.number, entry.value],
    ),
  );
  const natural = group.filter((register) => NATURAL_FORMAT.has(register.name));
  const naturalValues = new Map(
    natural.length === 0
      ? []
      : (
          await readRegisterValues(gdb, {
            selector,
            format: "natural",
            registerNumbers: natural.map((register) => register.number),
          })
        ).map((entry) => [entry.number, entry.value]),
  );
  return group
    .filter((register) => values.has(register.number))
    .map((register) => {
      const hex = values.get(register.number)!;
      const decoded = naturalValues.get(register.number);
      return {
        name: register.name,
        value: decoded === undefined ? hex : `${hex} ${decoded}`,
        evaluateName: `$${register.name}`,
        variablesReference: 0,
      };
    });
}

export function registersContainer(
  gdb: GdbClient,
  store: VariableStore,
  selector: FrameSelector,
): VariableContainer {
  const assign = async (name: string, value: string) => {
    const assigned = await evaluateExpression(gdb, `$${name} = ${value}`, selector);
    return { value: assigned, variablesReference: 0 };
  };
  return {
    threadId: selector.threadId,
    list: async () => {
      const names = await namesOf(gdb);
      const general = names.filter((register) => !VECTOR_REGISTER.test(register.name));
      const vector = names.filter((register) => VECTOR_REGISTER.test(register.name));
      const variables = await readGroup(gdb, selector, general);
      if (vector.length > 0) {
        variables.push({
          name: "Floating point and vector",
          value: `${vector.length} registers`,
          variablesReference: store.add({
            threadId: selector.threadId,
            list: () => readGroup(gdb, selector, vector),
            assign,
          }),
        });
      }
      return variables;
    },
    assign,
    // No expressionOf: a register cannot be watched (GDB would single-step every vCPU to emulate it).
  };
}
