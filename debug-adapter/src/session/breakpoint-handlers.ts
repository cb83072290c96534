// breakpoint-handlers.ts - the DAP breakpoint requests: source, function, exception (kernel panics and CPU
// exceptions) and data breakpoints. QEMU's breakpoints can only change while the VM is stopped, so a running
// VM is paused for the change and resumed (DebugTarget.whileStopped); the client never sees that stop.
// During a launch they may come before QEMU is connected: GDB then takes them alone (BreakpointHost).
// Running without debugging, every breakpoint is answered as not verified, with the reason.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { TORO_PANIC_FILTER } from "../protocol/toro-protocol";
import { setFunctionBreakpoints, setSourceBreakpoints } from "./breakpoints/code-breakpoints";
import { dataBreakpointInfo, setDataBreakpoints } from "./breakpoints/data-breakpoints";
import type { HandlerContext, RequestHandler } from "./requests";

const INACTIVE = "not active: this session runs without debugging (no GDB)";
const NOT_YET = "a data breakpoint needs the VM: set it again once the VM has stopped";

/** The breakpoints of a request, unverified (where they were asked for, if given), with the reason. */
function inactive(
  requested: readonly object[] | undefined,
  source?: DebugProtocol.Source,
  message = INACTIVE,
): { breakpoints: DebugProtocol.Breakpoint[] } {
  return {
    breakpoints: (requested ?? []).map((breakpoint) => ({
      verified: false,
      message,
      line: "line" in breakpoint ? (breakpoint.line as number) : undefined,
      source,
    })),
  };
}

export function breakpointHandlers(context: HandlerContext): Record<string, RequestHandler> {
  const { state, lines } = context;
  const withoutDebugger = () => state.run !== undefined;
  return {
    setBreakpoints: async (arguments_: DebugProtocol.SetBreakpointsArguments) => {
      if (withoutDebugger()) return inactive(arguments_.breakpoints, arguments_.source);
      const host = state.breakpointHost();
      const breakpoints = await host.whileStopped(() =>
        setSourceBreakpoints(host.gdb, state.ledger, arguments_, lines),
      );
      return { breakpoints };
    },
    setFunctionBreakpoints: async (arguments_: DebugProtocol.SetFunctionBreakpointsArguments) => {
      if (withoutDebugger()) return inactive(arguments_.breakpoints);
      const host = state.breakpointHost();
      const breakpoints = await host.whileStopped(() =>
        setFunctionBreakpoints(host.gdb, state.ledger, arguments_, lines),
      );
      return { breakpoints };
    },
    setExceptionBreakpoints: async (arguments_: DebugProtocol.SetExceptionBreakpointsArguments) => {
      if (withoutDebugger()) return {}; // panics still show in the Debug Console (serial output)
      state.panicStops = arguments_.filters.includes(TORO_PANIC_FILTER);
      // Before the target exists, the session applies it when the target is adopted.
      if (state.target !== undefined) await state.requireTarget().setPanicStops(state.panicStops);
      return {};
    },
    dataBreakpointInfo: async (arguments_: DebugProtocol.DataBreakpointInfoArguments) =>
      dataBreakpointInfo(state.variables, arguments_, (frameId) =>
        frameId === undefined ? undefined : state.frames.get(frameId)?.threadId,
      ),
    setDataBreakpoints: async (arguments_: DebugProtocol.SetDataBreakpointsArguments) => {
      if (withoutDebugger()) return inactive(arguments_.breakpoints);
      if (state.target === undefined && state.loadedDebugger !== undefined)
        return inactive(arguments_.breakpoints, undefined, NOT_YET);
      const target = state.requireTarget();
      const breakpoints = await target.whileStopped(() =>
        setDataBreakpoints(target.gdb, state.ledger, arguments_),
      );
      return { breakpoints };
    },
  };
}
