// breakpoint-handlers.ts - the DAP breakpoint requests: source, function, exception (kernel panics and CPU
// exceptions) and data breakpoints. QEMU's breakpoints can only change while the VM is stopped, so a running
// VM is paused for the change and resumed (DebugTarget.whileStopped); the client never sees that stop.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { TORO_PANIC_FILTER } from "../protocol/toro-protocol";
import { setFunctionBreakpoints, setSourceBreakpoints } from "./breakpoints/code-breakpoints";
import { dataBreakpointInfo, setDataBreakpoints } from "./breakpoints/data-breakpoints";
import type { HandlerContext, RequestHandler } from "./handler-context";

export function breakpointHandlers(context: HandlerContext): Record<string, RequestHandler> {
  const { state, lines } = context;
  return {
    setBreakpoints: async (arguments_: DebugProtocol.SetBreakpointsArguments) => {
      const target = state.requireTarget();
      const breakpoints = await target.whileStopped(() =>
        setSourceBreakpoints(target.gdb, state.ledger, arguments_, lines),
      );
      return { breakpoints };
    },
    setFunctionBreakpoints: async (arguments_: DebugProtocol.SetFunctionBreakpointsArguments) => {
      const target = state.requireTarget();
      const breakpoints = await target.whileStopped(() =>
        setFunctionBreakpoints(target.gdb, state.ledger, arguments_, lines),
      );
      return { breakpoints };
    },
    setExceptionBreakpoints: async (arguments_: DebugProtocol.SetExceptionBreakpointsArguments) => {
      const target = state.requireTarget();
      await target.setPanicStops(arguments_.filters.includes(TORO_PANIC_FILTER));
      return {};
    },
    dataBreakpointInfo: async (arguments_: DebugProtocol.DataBreakpointInfoArguments) =>
      dataBreakpointInfo(state.variables, arguments_, (frameId) =>
        frameId === undefined ? undefined : state.frames.get(frameId)?.threadId,
      ),
    setDataBreakpoints: async (arguments_: DebugProtocol.SetDataBreakpointsArguments) => {
      const target = state.requireTarget();
      const breakpoints = await target.whileStopped(() =>
        setDataBreakpoints(target.gdb, state.ledger, arguments_),
      );
      return { breakpoints };
    },
  };
}
