// scopes.ts - the four scopes of a stopped frame: Locals and Registers (from GDB, for that frame), Core (the
// vCPU's scheduler record from telemetry) and Kernel (spinlocks, threads, idle policy, panic). Telemetry is
// read fresh from guest RAM for each `scopes` request (no GDB traffic). Pairs with ../stack-trace.ts.
// A kernel thread's frame has no Registers scope: a context switch saves only the callee-saved registers,
// so the others would be the vCPU's, not the thread's (its Core scope is the thread's core).

import type { DebugProtocol } from "@vscode/debugprotocol";
import { cpuForThreadId } from "../../gdb";
import type { DebugTarget } from "../../engine/launch/debug-target";
import { localsContainer } from "./locals";
import { registersContainer } from "./registers";
import { coreContainer, kernelContainer } from "./telemetry-scopes";
import type { VariableStore } from "./variable-store";

export async function scopesOf(
  target: DebugTarget,
  store: VariableStore,
  frame: { threadId: number; frameLevel: number; kernelThread?: number },
): Promise<DebugProtocol.Scope[]> {
  const poll = await target.poller.pollNow();
  const core = cpuForThreadId(frame.threadId);
  const locals: DebugProtocol.Scope = {
    name: "Locals",
    presentationHint: "locals",
    variablesReference: store.add(localsContainer(target.gdb, store, frame)),
    expensive: false,
  };
  const registers: DebugProtocol.Scope[] =
    frame.kernelThread === undefined
      ? [
          {
            name: "Registers",
            presentationHint: "registers",
            variablesReference: store.add(registersContainer(target.gdb, store, frame)),
            expensive: false,
          },
        ]
      : [];
  return [
    locals,
    ...registers,
    {
      name: "Core",
      variablesReference: store.add(coreContainer(target.gdb, store, poll, core, frame.threadId)),
      expensive: false,
    },
    {
      name: "Kernel",
      variablesReference: store.add(kernelContainer(store, poll)),
      expensive: false,
    },
  ];
}
