// handler-context.ts - what a request handler needs from the session: its state, line-number conversion
// between the client and GDB, and a way to send events. Handlers return the response body or throw; the
// session (toro-debug-session.ts) turns a throw into an error response (error-messages.ts).

import type { DebugProtocol } from "@vscode/debugprotocol";
import type { LineConverters } from "./breakpoints/code-breakpoints";
import type { SessionState } from "./session-state";

export interface HandlerContext {
  state: SessionState;
  lines: LineConverters;
  sendEvent(event: DebugProtocol.Event): void;
  /** A line in the Debug Console. */
  output(text: string, category?: "console" | "stdout" | "stderr" | "important"): void;
}

// Arguments come from the client as JSON; each handler declares the DAP type it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RequestHandler = (arguments_: any) => Promise<unknown>;
