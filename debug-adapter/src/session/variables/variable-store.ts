// variable-store.ts - the DAP `variablesReference` numbers handed out while the VM is stopped: each names a
// container (a scope, a struct, a register group) that can list its variables and, if assignable, set one.
// Everything is dropped when the VM resumes; GDB variable objects created for the stop are deleted then.
// Filled by scopes.ts, locals.ts, registers.ts, telemetry-scopes.ts and ../evaluate.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { deleteVariableObject, type GdbClient } from "../../gdb";

export interface AssignedValue {
  value: string;
  type?: string;
  variablesReference: number;
}

export interface VariableContainer {
  list(): Promise<DebugProtocol.Variable[]>;
  /** Sets the variable called `name` (as listed) to `value`, a C expression. Absent: read-only. */
  assign?(name: string, value: string): Promise<AssignedValue>;
  /** The C expression of the variable called `name` (for watchpoints), undefined when it has none. */
  expressionOf?(name: string): string | undefined;
  /** The vCPU (GDB thread) the values belong to, for watchpoints on locals. */
  threadId?: number;
}

export class VariableStore {
  /**
   * The kernel thread GDB shows while containers are being made (set around a request by the inspection
   * handlers): each new reference remembers it, so listing it later shows the same thread again.
   */
  currentView: number | undefined;
  private nextReference = 1;
  private readonly containers = new Map<number, VariableContainer>();
  private readonly views = new Map<number, number>();
  private readonly variableObjects: string[] = [];

  add(container: VariableContainer): number {
    const reference = this.nextReference++;
    this.containers.set(reference, container);
    if (this.currentView !== undefined) this.views.set(reference, this.currentView);
    return reference;
  }

  /** The kernel thread `reference`'s values are seen through (undefined: a vCPU's own frames). */
  viewOf(reference: number): number | undefined {
    return this.views.get(reference);
  }

  get(reference: number): VariableContainer | undefined {
    return this.containers.get(reference);
  }

  /** Remembers a root GDB variable object to delete when the stop ends. */
  trackVariableObject(name: string): void {
    this.variableObjects.push(name);
  }

  /** Forgets every reference and deletes the stop's variable objects (the VM must still be stopped). */
  async release(gdb: GdbClient | undefined): Promise<void> {
    this.containers.clear();
    this.views.clear();
    const names = this.variableObjects.splice(0);
    if (gdb === undefined || gdb.state === "running") return;
    for (const name of names) {
      await deleteVariableObject(gdb, name).catch(() => undefined);
    }
  }
}

/** A read-only variable without children. */
export function leaf(name: string, value: string, type?: string): DebugProtocol.Variable {
  return { name, value, type, variablesReference: 0 };
}

/** A read-only group of fixed variables (telemetry records, register groups). */
export function fixedContainer(variables: DebugProtocol.Variable[]): VariableContainer {
  return { list: async () => variables };
}
