// requests.ts - how the session runs one DAP request: the handler's contract (HandlerContext: the session's
// state, line conversion, events; a handler returns the response body or throws), the queue that runs the
// requests that talk to GDB one after another, and handleRequest, which builds the response (a throw becomes
// an error response, error-messages.ts). Used by toro-debug-session.ts and the *-handlers.ts files.

import type { DebugProtocol } from "@vscode/debugprotocol";
import type { LineConverters } from "./breakpoints/code-breakpoints";
import type { SessionState } from "./session-state";
import { TORO_SNAPSHOT_REQUEST } from "../protocol/toro-protocol";
import { errorMessage } from "./error-messages";
import { TRACE_REQUESTS } from "./trace-session";

export interface HandlerContext {
  state: SessionState;
  lines: LineConverters;
  sendEvent(event: DebugProtocol.Event): void;
  /** A line in the Debug Console. */
  output(text: string, category?: "console" | "stdout" | "stderr" | "important"): void;
  /** A line in the adapter's trace (`logFile`), not shown to the user. */
  log(text: string): void;
}

// Arguments come from the client as JSON; each handler declares the DAP type it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RequestHandler = (arguments_: any) => Promise<unknown>;

/**
 * Runs the requests that talk to GDB one after another, in arrival order, so that a sequence such as "pause
 * the VM, change breakpoints, resume" is never interleaved with another request. The UNQUEUED ones bypass it.
 */
export class RequestQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` once every earlier item has settled; its own result or error is passed through. */
  run<Result>(work: () => Promise<Result>): Promise<Result> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Requests answered at once, never queued behind GDB work. */
const UNQUEUED = new Set([
  "launch",
  "attach",
  "configurationDone",
  "disconnect",
  "terminate",
  "threads",
  TORO_SNAPSHOT_REQUEST,
  ...TRACE_REQUESTS,
]);

/** The response to `request` once `handler` has run (never rejects); `log` receives failures. */
export async function handleRequest(
  request: DebugProtocol.Request,
  handler: RequestHandler,
  queue: RequestQueue,
  log: (text: string) => void,
): Promise<DebugProtocol.Response> {
  const response: DebugProtocol.Response = {
    seq: 0,
    type: "response",
    request_seq: request.seq,
    command: request.command,
    success: true,
  };
  const run = () => handler(request.arguments ?? {});
  try {
    const body = await (UNQUEUED.has(request.command) ? run() : queue.run(run));
    if (body !== undefined && typeof body === "object") response.body = body;
  } catch (error) {
    const { id, text } = errorMessage(error);
    log(`error ${request.command}: ${(error as Error)?.stack ?? text}`);
    response.success = false;
    response.message = text;
    response.body = { error: { id, format: text, showUser: true } };
  }
  return response;
}
