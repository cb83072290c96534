// inspection-handlers.ts - the requests that look at a stopped VM: threads (vCPUs, also while running; the
// kernel's threads after them while stopped), stack traces, scopes and variables (GDB plus telemetry),
// setVariable, evaluate (watch, hover, Debug Console with `-exec`), memory, disassembly and exception info.
// Ids come from session-state.ts. Invariant: every GDB command about frames runs with the right kernel thread
// shown (KernelThreads.show: the frame's, or none for a vCPU's), see inView.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { ContinuedEvent } from "@vscode/debugadapter";
import { cpuForThreadId, TargetRunningError } from "../gdb";
import { disassemble } from "./disassemble";
import { evaluateExpression, rawGdbCommand, runRawCommand } from "./evaluate";
import type { HandlerContext, RequestHandler } from "./requests";
import { readMemoryRequest, writeMemoryRequest } from "./memory";
import { stackTrace } from "./stack-trace";
import { kernelThreadOf, kernelThreadRows, vcpuThreads } from "./threads";
import { scopesOf } from "./variables/scopes";

export function inspectionHandlers(context: HandlerContext): Record<string, RequestHandler> {
  const { state, lines } = context;

  function frameOf(frameId: number) {
    const frame = state.frames.get(frameId);
    if (frame === undefined)
      throw new Error(`frame ${frameId} belongs to an earlier stop; refresh the Call Stack`);
    return frame;
  }

  /** Runs `work` with kernel thread `kernelThread` shown to GDB (undefined: none), recording it for new ids. */
  async function inView<Result>(
    kernelThread: number | undefined,
    work: () => Promise<Result>,
  ): Promise<Result> {
    await state.requireTarget().kernelThreads.show(kernelThread);
    state.variables.currentView = kernelThread;
    try {
      return await work();
    } finally {
      state.variables.currentView = undefined;
    }
  }

  return {
    threads: async () => {
      const target = state.live; // with or without debugging: names come from telemetry
      if (target === undefined) return { threads: [] };
      const poll = await target.poller.pollNow().catch(() => undefined);
      const threads = vcpuThreads(target.cpuCount, poll);
      if (state.target === target && target.state === "stopped") {
        // Read through GDB while stopped; a kernel whose table cannot be read still has its vCPUs.
        const kernel = await target.kernelThreads.list().catch((error: unknown) => {
          context.log(`kernel threads not listed: ${String(error)}`);
          return [];
        });
        threads.push(...kernelThreadRows(kernel));
      }
      return { threads };
    },
    stackTrace: async (arguments_: DebugProtocol.StackTraceArguments) => {
      const kernelThread = kernelThreadOf(arguments_.threadId);
      if (kernelThread !== undefined) {
        const target = state.requireTarget();
        const view = await target.kernelThreads.show(kernelThread);
        return stackTrace(
          target.gdb,
          state.frames,
          arguments_.threadId,
          arguments_,
          lines.toClient,
          undefined,
          view,
        );
      }
      await state.requireTarget().kernelThreads.show(undefined);
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
      const frame = frameOf(arguments_.frameId);
      return {
        scopes: await inView(frame.kernelThread, () =>
          scopesOf(state.requireTarget(), state.variables, frame),
        ),
      };
    },
    variables: async (arguments_: DebugProtocol.VariablesArguments) => {
      const reference = arguments_.variablesReference;
      const container = state.variables.get(reference);
      if (container === undefined) return { variables: [] };
      if (state.target === undefined) return { variables: await container.list() }; // no GDB behind it
      return { variables: await inView(state.variables.viewOf(reference), () => container.list()) };
    },
    setVariable: async (arguments_: DebugProtocol.SetVariableArguments) => {
      const reference = arguments_.variablesReference;
      const container = state.variables.get(reference);
      if (container?.assign === undefined) throw new Error(`"${arguments_.name}" cannot be changed here`);
      return inView(state.variables.viewOf(reference), () =>
        container.assign!(arguments_.name, arguments_.value),
      );
    },
    evaluate: async (arguments_: DebugProtocol.EvaluateArguments) => {
      const target = state.requireTarget();
      const raw = rawGdbCommand(arguments_);
      if (raw !== undefined) {
        const body = await inView(undefined, () => runRawCommand(target.gdb, raw));
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
      return inView(selector.kernelThread, () =>
        evaluateExpression(target.gdb, state.variables, arguments_.expression, selector),
      );
    },
    readMemory: async (arguments_: DebugProtocol.ReadMemoryArguments) =>
      readMemoryRequest(state.requireTarget().gdb, arguments_),
    writeMemory: async (arguments_: DebugProtocol.WriteMemoryArguments) =>
      writeMemoryRequest(state.requireTarget().gdb, arguments_),
    disassemble: async (arguments_: DebugProtocol.DisassembleArguments) =>
      disassemble(state.requireTarget().gdb, arguments_, lines.toClient),
    exceptionInfo: async (arguments_: DebugProtocol.ExceptionInfoArguments) => {
      const info = state.exceptions.get(arguments_.threadId);
      if (info === undefined) {
        const kernelThread = kernelThreadOf(arguments_.threadId);
        const what =
          kernelThread === undefined
            ? `CPU ${cpuForThreadId(arguments_.threadId)}`
            : `kernel thread ${kernelThread}`;
        throw new Error(`${what} did not stop on an exception`);
      }
      return info;
    },
  };
}
