// toro-debug-session.ts - the DAP session of the `toro` debugger: dispatches requests (GDB-bound ones one at
// a time through request-queue.ts), runs launch/attach (target-start.ts), and turns engine events (stops,
// serial lines, telemetry, the end of QEMU or GDB) into DAP events. It only translates: everything about
// QEMU, GDB and the kernel lives in ../engine/launch/. Started by ../adapter.ts on stdio.

import {
  DebugSession,
  Event,
  ExitedEvent,
  InitializedEvent,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
} from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { DebugTarget } from "../engine/launch/debug-target";
import type { TargetStop } from "../engine/launch/target-stop";
import {
  TORO_BUILD_EVENT,
  TORO_PROTOCOL_VERSION,
  TORO_SESSION_EVENT,
  TORO_SNAPSHOT_REQUEST,
  TORO_TELEMETRY_EVENT,
  type ToroSessionBody,
} from "../protocol/toro-protocol";
import { breakpointHandlers } from "./breakpoint-handlers";
import { CAPABILITIES } from "./capabilities";
import { errorMessage } from "./error-messages";
import type { HandlerContext, RequestHandler } from "./handler-context";
import { inspectionHandlers } from "./inspection-handlers";
import { planAttach, planLaunch } from "./launch-configuration";
import { RequestQueue } from "./request-queue";
import { runControlHandlers } from "./run-control-handlers";
import { SessionLog } from "./session-log";
import { SessionState } from "./session-state";
import { decideStop, type StopDecision } from "./stop-handling";
import { startAttach, startLaunch, type StartHooks } from "./target-start";
import { TelemetryEvents } from "./telemetry-events";

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

export class ToroDebugSession extends DebugSession {
  private readonly state = new SessionState();
  private readonly queue = new RequestQueue();
  private readonly log = new SessionLog();
  private readonly handlers: Record<string, RequestHandler>;
  private configurationDone!: () => void;
  private readonly configured = new Promise<void>((resolve) => (this.configurationDone = resolve));
  private ending: Promise<void> | undefined;

  constructor() {
    super();
    // GDB counts lines and columns from 1 (the base class assumes 0 unless told).
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    const context: HandlerContext = {
      state: this.state,
      lines: {
        toGdb: (line) => this.convertClientLineToDebugger(line),
        toClient: (line) => this.convertDebuggerLineToClient(line),
      },
      sendEvent: (event) => this.sendEvent(event),
      output: (text, category = "console") => this.sendEvent(new OutputEvent(text, category)),
    };
    this.handlers = {
      ...breakpointHandlers(context),
      ...runControlHandlers(context),
      ...inspectionHandlers(context),
      launch: (arguments_) => this.launch(arguments_),
      attach: (arguments_) => this.attach(arguments_),
      configurationDone: async () => this.configurationDone(),
      terminate: () => this.terminate(),
      disconnect: (arguments_: DebugProtocol.DisconnectArguments) => this.disconnect(arguments_),
      [TORO_SNAPSHOT_REQUEST]: async () => {
        this.state.requireTarget();
        return this.state.telemetry!.snapshot();
      },
    };
  }

  /** Ends whatever runs (process signals, closed input): leaves no QEMU, GDB or file behind. */
  async cleanUp(): Promise<void> {
    await this.endSession("terminate");
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = CAPABILITIES;
    this.sendResponse(response);
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const handler = this.handlers[request.command];
    if (handler === undefined) return super.dispatchRequest(request);
    this.log.write(`request ${request.command} ${JSON.stringify(request.arguments ?? {})}`);
    const run = () => handler(request.arguments ?? {});
    const work = UNQUEUED.has(request.command) ? run() : this.queue.run(run);
    const response: DebugProtocol.Response = {
      seq: 0,
      type: "response",
      request_seq: request.seq,
      command: request.command,
      success: true,
    };
    work.then(
      (body) => {
        if (body !== undefined && typeof body === "object") response.body = body;
        this.sendResponse(response);
        if (request.command === "disconnect") this.shutdown();
      },
      (error: unknown) => {
        const { id, text } = errorMessage(error);
        this.log.write(`error ${request.command}: ${(error as Error)?.stack ?? text}`);
        this.sendErrorResponse(response, { id, format: text, showUser: true });
      },
    );
  }

  override sendEvent(event: DebugProtocol.Event): void {
    if (event.event !== TORO_TELEMETRY_EVENT)
      this.log.write(`event ${event.event} ${JSON.stringify(event.body ?? {})}`);
    super.sendEvent(event);
  }

  private readonly hooks: StartHooks = {
    output: (text, category, diagnostic) => {
      const event = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
      if (diagnostic !== undefined) {
        event.body.source = { name: diagnostic.file, path: diagnostic.absolutePath };
        event.body.line = this.convertDebuggerLineToClient(diagnostic.line);
        event.body.column = diagnostic.column ?? undefined;
      }
      this.sendEvent(event);
    },
    buildFinished: (body) => this.sendEvent(new Event(TORO_BUILD_EVENT, body)),
    log: (text) => this.log.write(text),
  };

  private async launch(raw: unknown): Promise<void> {
    const plan = planLaunch(raw);
    if (plan.arguments.logFile !== undefined) this.log.open(plan.arguments.logFile);
    this.state.stopOnEntry = plan.stopOnEntry;
    const target = await startLaunch(plan, this.hooks);
    await this.begin(target, "launch", plan.telemetryHz, async () => {
      await (plan.stopOnEntry ? target.runToEntry() : target.continue());
    });
  }

  private async attach(raw: unknown): Promise<void> {
    const plan = planAttach(raw);
    if (plan.arguments.logFile !== undefined) this.log.open(plan.arguments.logFile);
    const target = await startAttach(plan, this.hooks);
    await this.begin(target, "attach", plan.telemetryHz, async () => {
      if (!plan.stopOnAttach) await target.continue();
      else this.sendEvent(new StoppedEvent("entry", 1));
    });
  }

  /** Adopts a connected target, lets the client configure it, then starts it as asked. */
  private async begin(
    target: DebugTarget,
    origin: "launch" | "attach",
    telemetryHz: number,
    run: () => Promise<void>,
  ): Promise<void> {
    if (this.ending !== undefined) {
      await target.dispose("terminate"); // the client disconnected while QEMU was starting
      throw new Error("the session was ended while it was starting");
    }
    this.state.target = target;
    this.state.origin = origin;
    try {
      target.on("stopped", (stop) => {
        this.queue
          .run(() => this.onStopped(stop))
          .catch((error: unknown) => this.reportFailure("stop", error));
      });
      target.on("serialLine", (line) => this.sendEvent(new OutputEvent(`${line.text}\n`, "stdout")));
      target.on("gdbOutput", (output) => this.sendEvent(new OutputEvent(output.text, "console")));
      target.on("ended", (end) =>
        this.onEnded(end.message, end.qemuExit?.guestExitCode ?? end.qemuExit?.exitCode ?? null).catch(
          (error: unknown) => this.reportFailure("end", error),
        ),
      );
      this.state.telemetry = new TelemetryEvents(target, (body) =>
        this.sendEvent(new Event(TORO_TELEMETRY_EVENT, body)),
      );
      this.sendEvent(new Event(TORO_SESSION_EVENT, this.sessionBody(target, origin, telemetryHz)));
      this.state.telemetry.start(telemetryHz);
      await target.setPanicStops(true);
      this.sendEvent(new InitializedEvent());
      await this.configured;
      if (target.state === "ended") return;
      await run();
    } catch (error) {
      await this.endSession("terminate");
      throw error;
    }
  }

  private sessionBody(
    target: DebugTarget,
    origin: "launch" | "attach",
    telemetryHz: number,
  ): ToroSessionBody {
    const { qemu, gdbstub, kernelElf } = target.parts;
    return {
      protocolVersion: TORO_PROTOCOL_VERSION,
      request: origin,
      cpus: target.cpuCount,
      idlePolicy: qemu?.settings.idlePolicy ?? null,
      program: kernelElf,
      gdbstub: `${gdbstub.host}:${gdbstub.port}`,
      qemuPid: qemu?.pid ?? null,
      gdbPid: target.gdb.pid ?? null,
      privateDirectory: qemu?.directory ?? null,
      telemetryHz,
    };
  }

  private async onStopped(stop: TargetStop): Promise<void> {
    const target = this.state.target;
    if (target === undefined || target.state === "ended") return;
    const decision: StopDecision = await decideStop(stop, this.state.ledger, target.gdb).catch(
      // The stop stays visible even if looking at its breakpoint failed.
      (error: unknown) => ({
        action: "report",
        body: { reason: "breakpoint", threadId: stop.threadId, allThreadsStopped: true, text: String(error) },
      }),
    );
    if (decision.action === "resume") {
      if (decision.output !== undefined) this.sendEvent(new OutputEvent(`${decision.output}\n`, "console"));
      await target
        .continue()
        .catch((error: unknown) =>
          this.sendEvent(new OutputEvent(`${errorMessage(error).text}\n`, "stderr")),
        );
      return;
    }
    this.state.lastStoppedThread = decision.body.threadId ?? stop.threadId;
    this.state.lastStop = stop;
    if (decision.exception !== undefined)
      this.state.exceptions.set(this.state.lastStoppedThread, decision.exception);
    const event = new StoppedEvent(
      decision.body.reason,
      decision.body.threadId,
    ) as DebugProtocol.StoppedEvent;
    event.body = decision.body;
    this.sendEvent(event);
  }

  /** An engine event could not be handled: say so in the Debug Console and the log, keep the session. */
  private reportFailure(what: string, error: unknown): void {
    this.log.write(`handling the ${what} failed: ${(error as Error)?.stack ?? String(error)}`);
    this.sendEvent(
      new OutputEvent(`Toro: handling the ${what} failed: ${errorMessage(error).text}\n`, "stderr"),
    );
  }

  private async onEnded(message: string, exitCode: number | null): Promise<void> {
    this.sendEvent(new OutputEvent(`${message}\n`, "important"));
    if (exitCode !== null) this.sendEvent(new ExitedEvent(exitCode));
    this.sendEvent(new TerminatedEvent());
    await this.endSession("terminate");
  }

  private async terminate(): Promise<void> {
    const hadTarget = this.state.target !== undefined;
    await this.endSession("terminate");
    if (hadTarget) this.sendEvent(new TerminatedEvent());
  }

  private async disconnect(arguments_: DebugProtocol.DisconnectArguments): Promise<void> {
    const terminate = arguments_.terminateDebuggee ?? this.state.origin !== "attach";
    await this.endSession(terminate ? "terminate" : "detach");
  }

  /** Stops telemetry, then ends or detaches the target; safe to call again (later calls wait for the first). */
  private endSession(mode: "terminate" | "detach"): Promise<void> {
    this.configurationDone();
    this.ending ??= (async () => {
      this.state.telemetry?.stop();
      await this.state.target
        ?.dispose(mode)
        .catch((error: unknown) => this.log.write(`dispose failed: ${String(error)}`));
      this.log.close();
    })();
    return this.ending;
  }
}
