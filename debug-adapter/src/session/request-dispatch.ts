// request-dispatch.ts - runs one DAP request through its handler and builds the response: the handler's
// return value becomes the body, a throw becomes an error response (error-messages.ts). Requests that talk
// to GDB wait their turn in the session's RequestQueue; the few that must answer at once bypass it.
// Used by toro-debug-session.ts, which sends the response.

import type { DebugProtocol } from "@vscode/debugprotocol";
import { TORO_SNAPSHOT_REQUEST } from "../protocol/toro-protocol";
import { errorMessage } from "./error-messages";
import type { RequestHandler } from "./handler-context";
import type { RequestQueue } from "./request-queue";

/** Requests answered at once, never queued behind GDB work. */
const UNQUEUED = new Set([
  "launch",
  "attach",
  "configurationDone",
  "disconnect",
  "terminate",
  "threads",
  TORO_SNAPSHOT_REQUEST,
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
