// custom-handlers.ts - the session's custom requests, declared in ../protocol/toro-protocol.ts:
// `toroSnapshot` (one telemetry body now, running or stopped, debugged or not) and `toroSelectCore` (while
// stopped, the current stop re-sent for another vCPU, so the client focuses that vCPU in its Call Stack).
// Nothing here touches GDB or the VM.

import { StoppedEvent } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { ToroError } from "../engine/errors";
import { threadIdForCpu } from "../gdb";
import {
  TORO_SELECT_CORE_REQUEST,
  TORO_SNAPSHOT_REQUEST,
  type ToroSelectCoreArguments,
} from "../protocol/toro-protocol";
import { describeValue } from "../protocol/validate-arguments";
import type { HandlerContext, RequestHandler } from "./requests";

export function customHandlers(context: HandlerContext): Record<string, RequestHandler> {
  const { state } = context;
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
      const current = state.lastStoppedBody;
      if (target.state === "running" || current === undefined) {
        throw new ToroError(`the VM is running: CPU ${core} can be selected once it is stopped (pause it)`);
      }
      // Invariant: the VM has not moved since `current` was reported, so the frames the client fetches for the
      // newly focused thread are those of this same stop.
      const threadId = threadIdForCpu(core);
      state.lastStoppedThread = threadId;
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
      return {};
    },
  };
}
