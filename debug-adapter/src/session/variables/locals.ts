// locals.ts - the "Locals" scope of one frame: arguments and locals from GDB's -stack-list-variables, scalars
// shown at once, structs, arrays and data pointers expandable (variable objects created on demand, see
// variable-objects.ts). Assigning evaluates `name = value` in that frame. Pairs with scopes.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { evaluateExpression, listFrameVariables, type FrameSelector, type GdbClient } from "../../gdb";
import { isExpandablePointer, lazyExpressionContainer, memoryReferenceOf } from "./variable-objects";
import type { VariableContainer, VariableStore } from "./variable-store";

export function localsContainer(
  gdb: GdbClient,
  store: VariableStore,
  selector: FrameSelector,
): VariableContainer {
  const types = new Map<string, string | undefined>();
  return {
    threadId: selector.threadId,
    list: async () => {
      const variables = await listFrameVariables(gdb, selector, "simple");
      return variables.map((variable): DebugProtocol.Variable => {
        types.set(variable.name, variable.type);
        const aggregate = variable.value === undefined;
        const expandable = aggregate || isExpandablePointer(variable.type);
        return {
          name: variable.name,
          value: variable.value ?? "{...}",
          type: variable.type,
          evaluateName: variable.name,
          presentationHint: variable.isArgument ? { kind: "property" } : undefined,
          variablesReference: expandable
            ? store.add(lazyExpressionContainer(gdb, store, variable.name, selector))
            : 0,
          memoryReference: memoryReferenceOf(variable.value),
        };
      });
    },
    assign: async (name, value) => {
      const assigned = await evaluateExpression(gdb, `${name} = ${value}`, selector);
      return { value: assigned, type: types.get(name), variablesReference: 0 };
    },
    expressionOf: (name) => name,
  };
}
