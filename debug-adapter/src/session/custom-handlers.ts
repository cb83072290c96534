// custom-handlers.ts - the session's custom requests, declared in ../protocol/toro-protocol.ts:
// `toroSnapshot` (one telemetry body now, running or stopped, debugged or not), `toroSelectCore` and
// `toroSelectThread` (while stopped, the current stop re-sent for another vCPU or kernel thread, so the client
// focuses it in its Call Stack). Nothing here changes the VM (toroSelectThread reads the thread table).

import { StoppedEvent } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { ToroError } from "../engine/errors";
import { threadIdForCpu } from "../gdb";
import {
  TORO_SELECT_CORE_REQUEST,
  TORO_SELECT_THREAD_REQUEST,
  TORO_SNAPSHOT_REQUEST,
  type ToroSelectCoreArguments,
  type ToroSelectThreadArguments,
} from "../protocol/toro-protocol";
import { describeValue } from "../protocol/validate-arguments";
import type { HandlerContext, RequestHandler } from "./requests";
import { KERNEL_THREAD_ID_BASE } from "./threads";

export function customHandlers(context: HandlerContext): Record<string, RequestHandler> {
  const { state } = context;

  /** The body of the current stop, or an error naming `what` while the VM runs. */
  function currentStop(what: string): DebugProtocol.StoppedEvent["body"] {
    const current = state.lastStoppedBody;
    if (state.requireTarget().state === "running" || current === undefined) {
      throw new ToroError(`the VM is running: ${what} can be selected once it is stopped (pause it)`);
    }
    return current;
  }

  /** Re-sends `current` for DAP thread `threadId`, with focus; `vcpu` becomes the default for evaluations. */
  function refocus(current: DebugProtocol.StoppedEvent["body"], threadId: number, vcpu = threadId): void {
    // Invariant: the VM has not moved since `current` was reported, so the frames the client fetches for the
    // newly focused thread are those of this same stop.
    state.lastStoppedThread = vcpu;
    const event = new StoppedEvent(current.reason, threadId) as DebugProtocol.StoppedEvent;
    event.body = {
      reason: current.reason,
      description: current.description,
      text: current.text,
      threadId,
      allThreadsStopped: true,
      preserveFocusHint: false,
    };
    context.sendEvent(event);
  }

  return {
    [TORO_SNAPSHOT_REQUEST]: async () => {
      state.requireLive();
      return state.telemetry!.snapshot();
    },
    [TORO_SELECT_CORE_REQUEST]: async (arguments_: Partial<ToroSelectCoreArguments>) => {
      const target = state.requireTarget();
      const core = arguments_.core;
      if (typeof core !== "number" || !Number.isInteger(core) || core < 0 || core >= target.cpuCount) {
        throw new ToroError(
          `"core" must be an integer from 0 to ${target.cpuCount - 1} (this VM's cores), got ${describeValue(core)}`,
        );
      }
      refocus(currentStop(`CPU ${core}`), threadIdForCpu(core));
      return {};
    },
    [TORO_SELECT_THREAD_REQUEST]: async (arguments_: Partial<ToroSelectThreadArguments>) => {
      const target = state.requireTarget();
      const id = arguments_.thread;
      if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
        throw new ToroError(
          `"thread" must be a kernel thread id (an integer, 0 or more), got ${describeValue(id)}`,
        );
      }
      const current = currentStop(`thread ${id}`);
      const threads = await target.kernelThreads.list();
      const thread = threads.find((candidate) => candidate.id === id);
      if (thread === undefined) {
        const known = threads.map((candidate) => candidate.id).join(", ") || "none";
        throw new ToroError(`no kernel thread ${id} at this stop (threads: ${known})`);
      }
      // A running thread's stack is its vCPU's: focus that vCPU (it is not listed on its own).
      const vcpu = threadIdForCpu(thread.core);
      refocus(current, thread.state === "running" ? vcpu : KERNEL_THREAD_ID_BASE + id, vcpu);
      return {};
    },
  };
}
