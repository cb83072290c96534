// variable-objects.ts - structured values (structs, arrays, pointers to structs) shown through GDB variable
// objects: one root per expression and stop, children listed when the user expands them, assignable in
// place. Each child also gets its C expression (`config->retries`, `(cores)[2]`), which VS Code uses for
// "Add to Watch" and data breakpoints. Pairs with variable-store.ts (lifetime) and locals.ts / ../evaluate.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import {
  assignVariableObject,
  createVariableObject,
  listVariableChildren,
  type FrameSelector,
  type GdbClient,
  type VariableObject,
} from "../../gdb";
import type { VariableContainer, VariableStore } from "./variable-store";

/** Wraps `expression` in parentheses unless it is a plain name (so `a->b` reads naturally). */
function grouped(expression: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(expression) ? expression : `(${expression})`;
}

/** The C expression of a child of `parentPath` (whose GDB type is `parentType`), or undefined. */
export function childPath(
  parentPath: string,
  parentType: string | undefined,
  childExpression: string,
): string | undefined {
  if (childExpression.startsWith("*")) return `*${grouped(parentPath)}`;
  if (!/^[A-Za-z_0-9]+$/.test(childExpression)) return undefined; // anonymous unions and the like
  const type = (parentType ?? "").trim();
  if (/\[\d*\]$/.test(type)) return `${grouped(parentPath)}[${childExpression}]`;
  if (type.endsWith("*")) return `${grouped(parentPath)}->${childExpression}`;
  return `${grouped(parentPath)}.${childExpression}`;
}

/** Whether a value of this type is worth expanding (pointers to data, not to characters or functions). */
export function isExpandablePointer(type: string | undefined): boolean {
  if (type === undefined || !type.trim().endsWith("*")) return false;
  return !/\bchar\s*\*$/.test(type) && !/\(\*\)/.test(type) && !/^void\s*\*$/.test(type.trim());
}

function displayValue(object: VariableObject): string {
  if (object.value !== undefined && object.value !== "") return object.value;
  return object.childCount > 0 ? "{...}" : "";
}

/** An address in a value such as `0x1a6de0 "text"` or `(int *) 0x1000`, for the memory view. */
export function memoryReferenceOf(value: string | undefined): string | undefined {
  return /(?:^|\s)(0x[0-9a-fA-F]+)/.exec(value ?? "")?.[1];
}

/** The container listing `parent`'s children; `path` is the parent's C expression. */
export function childrenContainer(
  gdb: GdbClient,
  store: VariableStore,
  parent: VariableObject,
  path: string | undefined,
  threadId: number,
): VariableContainer {
  let byName = new Map<string, { object: VariableObject; path: string | undefined }>();
  return {
    threadId,
    list: async () => {
      const children = await listVariableChildren(gdb, parent.name, "simple");
      byName = new Map();
      return children.map((child) => {
        const name = child.expression ?? child.name;
        const childExpression = path === undefined ? undefined : childPath(path, parent.type, name);
        byName.set(name, { object: child, path: childExpression });
        return toVariable(gdb, store, name, child, childExpression, threadId);
      });
    },
    assign: async (name, value) => {
      const entry = byName.get(name);
      if (entry === undefined) throw new Error(`no variable "${name}" here`);
      const assigned = await assignVariableObject(gdb, entry.object.name, value);
      return { value: assigned, type: entry.object.type, variablesReference: 0 };
    },
    expressionOf: (name) => byName.get(name)?.path,
  };
}

/** A DAP variable for a variable object (children listed lazily through the store). */
export function toVariable(
  gdb: GdbClient,
  store: VariableStore,
  name: string,
  object: VariableObject,
  path: string | undefined,
  threadId: number,
): DebugProtocol.Variable {
  const expandable = object.childCount > 0 || object.hasMore;
  return {
    name,
    value: displayValue(object),
    type: object.type,
    evaluateName: path,
    variablesReference: expandable ? store.add(childrenContainer(gdb, store, object, path, threadId)) : 0,
    memoryReference: memoryReferenceOf(object.value),
  };
}

/** Creates a root variable object for `expression` in a frame (deleted when the stop ends). */
export async function createRoot(
  gdb: GdbClient,
  store: VariableStore,
  expression: string,
  selector: FrameSelector,
): Promise<VariableObject> {
  const object = await createVariableObject(gdb, expression, selector);
  store.trackVariableObject(object.name);
  return object;
}

/** A container that creates its root only when expanded: the children of `expression` in a frame. */
export function lazyExpressionContainer(
  gdb: GdbClient,
  store: VariableStore,
  expression: string,
  selector: FrameSelector,
): VariableContainer {
  let inner: VariableContainer | undefined;
  const resolve = async () => {
    inner ??= childrenContainer(
      gdb,
      store,
      await createRoot(gdb, store, expression, selector),
      expression,
      selector.threadId,
    );
    return inner;
  };
  return {
    threadId: selector.threadId,
    list: async () => (await resolve()).list(),
    assign: async (name, value) => (await resolve()).assign!(name, value),
    expressionOf: (name) => inner?.expressionOf?.(name),
  };
}
