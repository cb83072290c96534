// capabilities.ts - what the `toro` debug adapter tells the client it supports (the `initialize` response),
// including the one exception filter: stop at kernel panics and CPU exceptions. Pairs with the handlers
// in breakpoint-handlers.ts, run-control-handlers.ts and inspection-handlers.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { TORO_PANIC_FILTER } from "../protocol/toro-protocol";

export const CAPABILITIES: DebugProtocol.Capabilities = {
  supportsConfigurationDoneRequest: true,
  supportsFunctionBreakpoints: true,
  supportsConditionalBreakpoints: true,
  supportsHitConditionalBreakpoints: true,
  supportsLogPoints: true,
  supportsDataBreakpoints: true,
  supportsEvaluateForHovers: true,
  supportsSetVariable: true,
  supportsRestartRequest: true,
  supportsTerminateRequest: true,
  supportTerminateDebuggee: true,
  supportsReadMemoryRequest: true,
  supportsWriteMemoryRequest: true,
  supportsDisassembleRequest: true,
  supportsSteppingGranularity: true,
  supportsExceptionInfoRequest: true,
  exceptionBreakpointFilters: [
    {
      filter: TORO_PANIC_FILTER,
      label: "Kernel panics and CPU exceptions",
      description:
        "Stop where the kernel panics (panic() or a CPU exception such as a page fault), before it reports.",
      default: true,
    },
  ],
};
