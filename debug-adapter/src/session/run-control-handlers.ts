// run-control-handlers.ts - continue, step over/in/out (by line, or by instruction with granularity
// "instruction"), pause and restart. Every resume first drops the ids of the current stop. If QEMU refuses
// a software breakpoint when the VM resumes, it is replaced by a hardware one and the resume retried.
// Without debugging only restart works (a QMP reset); the others answer that there is no debugger.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { ContinuedEvent } from "@vscode/debugadapter";
import { GdbError } from "../gdb";
import type { StepKind } from "../engine/launch/debug-target";
import { ToroError } from "../engine/errors";
import type { HandlerContext, RequestHandler } from "./requests";
import { kernelThreadOf } from "./threads";

/** GDB numbers of the breakpoints GDB could not insert ("Cannot insert breakpoint 3."). */
function refusedBreakpoints(error: unknown): number[] {
  if (!(error instanceof GdbError)) return [];
  return [...error.miMessage.matchAll(/Cannot insert (?:hardware )?breakpoint (\d+)/g)].map((match) =>
    Number(match[1]),
  );
}

export function runControlHandlers(context: HandlerContext): Record<string, RequestHandler> {
  const { state } = context;

  async function resume(action: () => Promise<void>): Promise<void> {
    const target = state.requireTarget();
    await state.beforeResume();
    try {
      await action();
    } catch (error) {
      const refused = refusedBreakpoints(error);
      if (refused.length === 0) throw error;
      for (const number of refused) await state.ledger.convertToHardware(target.gdb, number);
      context.output(
        `QEMU refused software breakpoint(s) ${refused.join(", ")}; using hardware breakpoints instead\n`,
      );
      await action();
    }
  }

  const stepping =
    (kind: StepKind, instructionKind: StepKind) => async (arguments_: DebugProtocol.NextArguments) => {
      const target = state.requireTarget();
      const kernelThread = kernelThreadOf(arguments_.threadId);
      if (kernelThread !== undefined) {
        throw new ToroError(
          `kernel thread ${kernelThread} is switched out and cannot be stepped: step a CPU, or continue until its core runs it`,
        );
      }
      const chosen = arguments_.granularity === "instruction" ? instructionKind : kind;
      await resume(() => target.step(chosen, arguments_.threadId));
      return {};
    };

  return {
    continue: async () => {
      const target = state.requireTarget();
      await resume(() => target.continue());
      return { allThreadsContinued: true };
    },
    next: stepping("over", "instruction-over"),
    stepIn: stepping("into", "instruction"),
    stepOut: stepping("out", "out"),
    pause: async () => {
      await state.requireTarget().pause();
      return {};
    },
    restart: async () => {
      if (state.run !== undefined) {
        state.requireLive();
        await state.run.restart();
        context.output("Restarting: the VM was reset (QMP system_reset)\n", "console");
        return {};
      }
      const target = state.requireTarget();
      await state.beforeResume();
      await target.restart();
      context.output("Restarting: the VM was reset (QMP system_reset); breakpoints are kept\n", "console");
      await resume(() => (state.stopOnEntry ? target.runToEntry() : target.continue()));
      context.sendEvent(new ContinuedEvent(state.lastStoppedThread, true));
      return {};
    },
  };
}
