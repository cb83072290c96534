// data-breakpoints.ts - DAP data breakpoints as GDB watchpoints (QEMU's gdbstub gives hardware ones: the VM
// runs at full speed until the watched bytes are written or read, on any vCPU). A dataId names the C
// expression and, for a local, the vCPU whose frame it lives in. Pairs with breakpoint-ledger.ts and
// ../variables/variable-store.ts (which knows each variable's expression).

import type { DebugProtocol } from "@vscode/debugprotocol";
import {
  insertWatchpoint,
  selectThread,
  setBreakpointCondition,
  setBreakpointIgnoreCount,
  type GdbClient,
  type WatchpointAccess,
} from "../../gdb";
import type { VariableStore } from "../variables/variable-store";
import type { BreakpointLedger, DesiredBreakpoint } from "./breakpoint-ledger";

interface DataIdentity {
  expression: string;
  /** The vCPU whose innermost frame the expression is evaluated in (locals), when known. */
  threadId?: number;
}

const ACCESS: Record<DebugProtocol.DataBreakpointAccessType, WatchpointAccess> = {
  write: "write",
  read: "read",
  readWrite: "access",
};

export function dataBreakpointInfo(
  store: VariableStore,
  arguments_: DebugProtocol.DataBreakpointInfoArguments,
  threadOfFrame: (frameId: number | undefined) => number | undefined,
): DebugProtocol.DataBreakpointInfoResponse["body"] {
  let identity: DataIdentity | undefined;
  if (arguments_.variablesReference !== undefined && arguments_.variablesReference > 0) {
    const container = store.get(arguments_.variablesReference);
    const expression = container?.expressionOf?.(arguments_.name);
    if (expression !== undefined) identity = { expression, threadId: container?.threadId };
  } else if (arguments_.name.trim() !== "") {
    identity = { expression: arguments_.name.trim(), threadId: threadOfFrame(arguments_.frameId) };
  }
  if (identity === undefined) {
    return { dataId: null, description: `"${arguments_.name}" has no address to watch` };
  }
  return {
    dataId: JSON.stringify(identity),
    description: identity.expression,
    accessTypes: ["write", "read", "readWrite"],
    canPersist: false,
  };
}

export function setDataBreakpoints(
  gdb: GdbClient,
  ledger: BreakpointLedger,
  arguments_: DebugProtocol.SetDataBreakpointsArguments,
): Promise<DebugProtocol.Breakpoint[]> {
  const wanted = arguments_.breakpoints.map((breakpoint): DesiredBreakpoint => {
    const identity = JSON.parse(breakpoint.dataId) as DataIdentity;
    const access = ACCESS[breakpoint.accessType ?? "write"];
    const condition = breakpoint.condition?.trim() === "" ? undefined : breakpoint.condition;
    return {
      key: JSON.stringify({ ...identity, access, condition, hitCondition: breakpoint.hitCondition }),
      hitCondition: breakpoint.hitCondition,
      requested: {},
      insert: async (ignoreCount) => {
        if (identity.threadId !== undefined) await selectThread(gdb, identity.threadId);
        const watchpoint = await insertWatchpoint(gdb, identity.expression, access);
        if (condition !== undefined) await setBreakpointCondition(gdb, watchpoint.number, condition);
        if (ignoreCount > 0) await setBreakpointIgnoreCount(gdb, watchpoint.number, ignoreCount);
        const message = watchpoint.hardware
          ? undefined
          : "a software watchpoint: GDB single-steps every vCPU to check it, which is very slow";
        return { number: watchpoint.number, details: { verified: true, message } };
      },
    };
  });
  return ledger.sync(gdb, "data", "data", wanted);
}
