// variables.ts - GDB/MI "Variable Objects": GDB-side handles on expressions whose children (struct fields,
// array elements) can be listed lazily and whose values can be assigned and refreshed. The adapter's
// Variables view and setVariable build on these; plain one-shot evaluation lives in data.ts.
// Contract: a variable object made for one frame stays bound to it; delete it when the stop is over.

import type { GdbClient } from "../gdb-client";
import { miCommand } from "./command-line";
import { frameOptions, type FrameSelector } from "./stack";
import {
  asTuple,
  integerField,
  listField,
  optionalIntegerField,
  optionalStringField,
  resultListValues,
  stringField,
  type MiTuple,
} from "./values";

export interface VariableObject {
  /** GDB's handle, e.g. `var1` or `var1.x` for a child. */
  name: string;
  /** For children: the field name or index (`x`, `3`). */
  expression?: string;
  childCount: number;
  value?: string;
  type?: string;
  /** True when GDB has more children than it listed (dynamic varobjs). */
  hasMore: boolean;
}

export type ChildValues = "names-only" | "all" | "simple";

const CHILD_VALUES_FLAG: Record<ChildValues, string> = {
  "names-only": "--no-values",
  all: "--all-values",
  simple: "--simple-values",
};

export interface VariableChange {
  name: string;
  value?: string;
  /** `false` once the frame it belongs to is gone; `invalid` when it can no longer be evaluated. */
  inScope: "true" | "false" | "invalid";
  typeChanged: boolean;
}

function parseVariableObject(command: string, tuple: MiTuple): VariableObject {
  return {
    name: stringField(command, tuple, "name"),
    expression: optionalStringField(tuple, "exp"),
    childCount: optionalIntegerField(tuple, "numchild") ?? 0,
    value: optionalStringField(tuple, "value"),
    type: optionalStringField(tuple, "type"),
    hasMore: optionalStringField(tuple, "has_more") === "1",
  };
}

/** Creates a variable object for `expression` in the selected (or given) frame; GDB picks its name. */
export async function createVariableObject(
  client: GdbClient,
  expression: string,
  selector?: FrameSelector,
): Promise<VariableObject> {
  const command = miCommand("-var-create", ...frameOptions(selector), "-", "*", expression);
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  return parseVariableObject(command, results);
}

export async function listVariableChildren(
  client: GdbClient,
  name: string,
  values: ChildValues = "simple",
): Promise<VariableObject[]> {
  const command = miCommand("-var-list-children", CHILD_VALUES_FLAG[values], name);
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  return resultListValues(command, listField(command, results, "children")).map((child) =>
    parseVariableObject(command, asTuple(command, child)),
  );
}

/** Assigns `expression`'s value to the variable (writes target memory or registers); returns the new value. */
export async function assignVariableObject(
  client: GdbClient,
  name: string,
  expression: string,
): Promise<string> {
  const command = miCommand("-var-assign", name, expression);
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  return stringField(command, results, "value");
}

/** Re-reads variable objects (`*` = all) after a stop; returns the ones that changed. */
export async function updateVariableObjects(client: GdbClient, name = "*"): Promise<VariableChange[]> {
  const command = miCommand("-var-update", "--all-values", name);
  const { results } = await client.execute(command, { requirement: "stopped-target" });
  return listField(command, results, "changelist").map((entry) => {
    const tuple = asTuple(command, entry);
    const inScope = optionalStringField(tuple, "in_scope");
    return {
      name: stringField(command, tuple, "name"),
      value: optionalStringField(tuple, "value"),
      inScope: inScope === "false" || inScope === "invalid" ? inScope : "true",
      typeChanged: optionalStringField(tuple, "type_changed") === "true",
    };
  });
}

/** Deletes a variable object and its children; returns how many objects GDB deleted. */
export async function deleteVariableObject(client: GdbClient, name: string): Promise<number> {
  const command = miCommand("-var-delete", name);
  const { results } = await client.execute(command, { requirement: "target-not-running" });
  return integerField(command, results, "ndeleted");
}
