// evaluate.ts - DAP `evaluate` for watch expressions, hovers and the Debug Console: a C expression evaluated
// by GDB in the selected vCPU's frame (structs expandable through a variable object), or, in the console,
// `-exec <command>` to run any GDB command and see its output. GDB can only evaluate while the VM is
// stopped (any packet would stop it), so a running VM gets a clear error instead. Pairs with
// variables/variable-objects.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { executeConsoleCommand, type FrameSelector, type GdbClient } from "../gdb";
import { TORO_RAW_GDB_PREFIX } from "../protocol/toro-protocol";
import { childrenContainer, createRoot, memoryReferenceOf } from "./variables/variable-objects";
import type { VariableStore } from "./variables/variable-store";

export type EvaluateBody = DebugProtocol.EvaluateResponse["body"];

/** Whether `expression` is a raw GDB command for the console. */
export function rawGdbCommand(arguments_: DebugProtocol.EvaluateArguments): string | undefined {
  const text = arguments_.expression.trimStart();
  if (arguments_.context !== "repl" || !text.startsWith(TORO_RAW_GDB_PREFIX.trim())) return undefined;
  const command = text.slice(TORO_RAW_GDB_PREFIX.trim().length);
  return command.startsWith(" ") || command === "" ? command.trim() : undefined;
}

export async function runRawCommand(gdb: GdbClient, command: string): Promise<EvaluateBody> {
  if (command === "")
    throw new Error(
      `type a GDB command after ${TORO_RAW_GDB_PREFIX.trim()}, e.g. "-exec info registers rip"`,
    );
  const output = await executeConsoleCommand(gdb, command);
  return { result: output.replace(/\n+$/, ""), variablesReference: 0 };
}

export async function evaluateExpression(
  gdb: GdbClient,
  store: VariableStore,
  expression: string,
  selector: FrameSelector,
): Promise<EvaluateBody> {
  const object = await createRoot(gdb, store, expression, selector);
  const expandable = object.childCount > 0 || object.hasMore;
  return {
    result: object.value ?? (expandable ? "{...}" : ""),
    type: object.type,
    variablesReference: expandable
      ? store.add(childrenContainer(gdb, store, object, expression, selector.threadId))
      : 0,
    memoryReference: memoryReferenceOf(object.value),
  };
}
