// stop-handling.ts - what the client sees of an engine stop (../engine/launch/target-stop.ts): a DAP
// `stopped` event with its reason (always allThreadsStopped: the gdbstub is all-stop), the exception info
// behind a panic or triple fault, or nothing at all when the stop was a logpoint or a hit condition that
// does not hold yet (the VM is then resumed at once). Used by toro-debug-session.ts.

import { OutputEvent, StoppedEvent } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { cpuForThreadId, evaluateExpression, getBreakpoint, type GdbClient } from "../gdb";
import type { DebugTarget } from "../engine/launch/debug-target";
import type { TargetStop } from "../engine/launch/target-stop";
import type { BreakpointLedger } from "./breakpoints/breakpoint-ledger";
import { renderLogMessage } from "./breakpoints/logpoint";
import { errorMessage } from "./error-messages";
import type { HandlerContext } from "./requests";

export type StoppedBody = DebugProtocol.StoppedEvent["body"];

export type StopDecision =
  | { action: "report"; body: StoppedBody; exception?: DebugProtocol.ExceptionInfoResponse["body"] }
  /** Resume without telling the client; `output` is a logpoint's message. */
  | { action: "resume"; output?: string };

function exceptionOf(stop: TargetStop): {
  body: StoppedBody;
  exception: DebugProtocol.ExceptionInfoResponse["body"];
} {
  const core = cpuForThreadId(stop.threadId);
  let exceptionId: string;
  let description: string;
  let message: string;
  if (stop.kind === "panic" && stop.panic !== undefined) {
    const cpuException = stop.panic.exception;
    exceptionId = cpuException === undefined ? "kernel-panic" : "cpu-exception";
    description =
      cpuException === undefined
        ? `Kernel panic on CPU ${stop.panic.core}`
        : `CPU exception on CPU ${stop.panic.core}: ${cpuException.name}`;
    message = stop.panic.message;
  } else if (stop.kind === "shutdown" && stop.shutdown !== undefined) {
    exceptionId =
      stop.shutdown.reason === "guest-reset" || stop.shutdown.reason === null ? "triple-fault" : "shutdown";
    description = exceptionId === "triple-fault" ? `Triple fault on CPU ${core}` : "VM shut down";
    message = stop.shutdown.description;
  } else {
    exceptionId = "signal";
    description = `Signal ${stop.signalName ?? "?"} on CPU ${core}`;
    message = `GDB reported ${stop.signalName ?? "a signal"} (${stop.gdbStop.signalMeaning ?? "no details"})`;
  }
  return {
    body: {
      reason: "exception",
      threadId: stop.threadId,
      allThreadsStopped: true,
      description,
      text: message,
    },
    exception: {
      exceptionId,
      description: message,
      breakMode: "always",
      details: { message, typeName: description },
    },
  };
}

function report(stop: TargetStop, reason: string, extra: Partial<StoppedBody> = {}): StopDecision {
  return { action: "report", body: { reason, threadId: stop.threadId, allThreadsStopped: true, ...extra } };
}

export async function decideStop(
  stop: TargetStop,
  ledger: BreakpointLedger,
  gdb: GdbClient,
): Promise<StopDecision> {
  switch (stop.kind) {
    case "entry":
      return report(stop, "entry");
    case "step":
      return report(stop, "step");
    case "pause":
      return report(stop, "pause");
    case "panic":
    case "shutdown":
    case "signal":
    case "connected":
      return { action: "report", ...exceptionOf(stop) };
    case "watchpoint": {
      const hit = stop.watchpoint;
      const entry = hit === undefined ? undefined : ledger.byNumber(hit.number);
      const change =
        hit?.newValue !== undefined ? `${hit.oldValue ?? "?"} → ${hit.newValue}` : (hit?.value ?? "accessed");
      return report(stop, "data breakpoint", {
        description: `Data breakpoint: ${hit?.expression ?? "?"} ${change}`,
        hitBreakpointIds: entry === undefined ? undefined : [entry.dapBreakpoint.id!],
      });
    }
    case "breakpoint": {
      const number = stop.breakpointNumber;
      const entry = number === undefined ? undefined : ledger.byNumber(number);
      if (entry === undefined || number === undefined) return report(stop, "breakpoint");
      if (entry.shouldStop !== undefined) {
        const { hitCount } = await getBreakpoint(gdb, number);
        if (!entry.shouldStop(hitCount)) return { action: "resume" };
      }
      if (entry.logMessage !== undefined) {
        const selector = { threadId: stop.threadId, frameLevel: 0 };
        const output = await renderLogMessage(entry.logMessage, (expression) =>
          evaluateExpression(gdb, expression, selector),
        );
        return { action: "resume", output };
      }
      return report(stop, entry.kind === "function" ? "function breakpoint" : "breakpoint", {
        hitBreakpointIds: [entry.dapBreakpoint.id!],
      });
    }
  }
}

/** Sends a `stopped` event and remembers it as the current stop (toroSelectCore re-sends it). */
export function sendStopped(context: HandlerContext, body: StoppedBody & { threadId: number }): void {
  context.state.lastStoppedThread = body.threadId;
  context.state.lastStoppedBody = body;
  const event = new StoppedEvent(body.reason, body.threadId) as DebugProtocol.StoppedEvent;
  event.body = body;
  context.sendEvent(event);
}

/** Tells the client about an engine stop, or resumes the VM when the client must not see it. */
export async function handleTargetStop(
  context: HandlerContext,
  target: DebugTarget,
  stop: TargetStop,
): Promise<void> {
  const { state } = context;
  if (target.state === "ended") return;
  const decision: StopDecision = await decideStop(stop, state.ledger, target.gdb).catch(
    // The stop stays visible even if looking at its breakpoint failed.
    (error: unknown) => ({
      action: "report",
      body: { reason: "breakpoint", threadId: stop.threadId, allThreadsStopped: true, text: String(error) },
    }),
  );
  if (decision.action === "resume") {
    if (decision.output !== undefined) context.output(`${decision.output}\n`, "console");
    await target
      .continue()
      .catch((error: unknown) =>
        context.sendEvent(new OutputEvent(`${errorMessage(error).text}\n`, "stderr")),
      );
    return;
  }
  const threadId = decision.body.threadId ?? stop.threadId;
  state.lastStop = stop;
  if (decision.exception !== undefined) state.exceptions.set(threadId, decision.exception);
  sendStopped(context, { ...decision.body, threadId });
}
