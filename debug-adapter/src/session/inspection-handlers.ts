// inspection-handlers.ts - the requests that look at a stopped VM: threads (vCPUs, also while running),
// stack traces, scopes and variables (GDB plus telemetry), setVariable, evaluate (watch, hover, Debug
// Console with `-exec`), memory, disassembly and exception info. Ids come from session-state.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { ContinuedEvent } from "@vscode/debugadapter";
import { cpuForThreadId, TargetRunningError } from "../gdb";
import { disassemble } from "./disassemble";
import { evaluateExpression, rawGdbCommand, runRawCommand } from "./evaluate";
import type { HandlerContext, RequestHandler } from "./requests";
import { readMemoryRequest, writeMemoryRequest } from "./memory";
import { stackTrace } from "./stack-trace";
import { vcpuThreads } from "./threads";
import { scopesOf } from "./variables/scopes";

export function inspectionHandlers(context: HandlerContext): Record<string, RequestHandler> {
  const { state, lines } = context;

  function frameOf(frameId: number) {
    const frame = state.frames.get(frameId);
    if (frame === undefined)
      throw new Error(`frame ${frameId} belongs to an earlier stop; refresh the Call Stack`);
    return frame;
  }

  return {
    threads: async () => {
      const target = state.live; // with or without debugging: names come from telemetry
      if (target === undefined) return { threads: [] };
      const poll = await target.poller.pollNow().catch(() => undefined);
      return { threads: vcpuThreads(target.cpuCount, poll) };
    },
    stackTrace: async (arguments_: DebugProtocol.StackTraceArguments) => {
      const stop = state.lastStop;
      const exception = stop?.panic?.exception;
      const interrupted =
        stop?.interrupted !== undefined && exception !== undefined && stop.threadId === arguments_.threadId
          ? { frames: stop.interrupted, label: exception.name }
          : undefined;
      return stackTrace(
        state.requireTarget().gdb,
        state.frames,
        arguments_.threadId,
        arguments_,
        lines.toClient,
        interrupted,
      );
    },
    scopes: async (arguments_: DebugProtocol.ScopesArguments) => {
      if (state.frames.isSynthetic(arguments_.frameId)) return { scopes: [] }; // rebuilt frame: GDB has no scopes
      return { scopes: await scopesOf(state.requireTarget(), state.variables, frameOf(arguments_.frameId)) };
    },
    variables: async (arguments_: DebugProtocol.VariablesArguments) => {
      const container = state.variables.get(arguments_.variablesReference);
      return { variables: container === undefined ? [] : await container.list() };
    },
    setVariable: async (arguments_: DebugProtocol.SetVariableArguments) => {
      const container = state.variables.get(arguments_.variablesReference);
      if (container?.assign === undefined) throw new Error(`"${arguments_.name}" cannot be changed here`);
      return container.assign(arguments_.name, arguments_.value);
    },
    evaluate: async (arguments_: DebugProtocol.EvaluateArguments) => {
      const target = state.requireTarget();
      const raw = rawGdbCommand(arguments_);
      if (raw !== undefined) {
        const body = await runRawCommand(target.gdb, raw);
        if (target.state === "running") {
          // The command resumed the VM (`-exec continue`, `-exec step`): the client must know.
          state.frames.clear();
          context.sendEvent(new ContinuedEvent(state.lastStoppedThread, true));
        }
        return body;
      }
      if (target.state === "running") throw new TargetRunningError(`evaluate ${arguments_.expression}`);
      const selector =
        arguments_.frameId === undefined
          ? { threadId: state.lastStoppedThread, frameLevel: 0 }
          : frameOf(arguments_.frameId);
      return evaluateExpression(target.gdb, state.variables, arguments_.expression, selector);
    },
    readMemory: async (arguments_: DebugProtocol.ReadMemoryArguments) =>
      readMemoryRequest(state.requireTarget().gdb, arguments_),
    writeMemory: async (arguments_: DebugProtocol.WriteMemoryArguments) =>
      writeMemoryRequest(state.requireTarget().gdb, arguments_),
    disassemble: async (arguments_: DebugProtocol.DisassembleArguments) =>
      disassemble(state.requireTarget().gdb, arguments_, lines.toClient),
    exceptionInfo: async (arguments_: DebugProtocol.ExceptionInfoArguments) => {
      const info = state.exceptions.get(arguments_.threadId);
      if (info === undefined)
        throw new Error(`CPU ${cpuForThreadId(arguments_.threadId)} did not stop on an exception`);
      return info;
    },
  };
}
