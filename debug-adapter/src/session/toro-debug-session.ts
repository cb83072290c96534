// toro-debug-session.ts - the DAP session of the `toro` debugger: dispatches requests (GDB-bound ones one at
// a time through requests.ts), runs launch/attach (target-start.ts) or, for `noDebug`, a launch without
// GDB, and turns engine events (stops, serial lines, telemetry, the end of QEMU or GDB) into DAP events. It
// only translates: everything about QEMU, GDB and the kernel lives in ../engine/launch/. Started by
// ../adapter.ts on stdio, or on a unix socket as a spare adapter (spare-listener.ts).

import {
  DebugSession,
  Event,
  ExitedEvent,
  InitializedEvent,
  OutputEvent,
  TerminatedEvent,
} from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { DebugTarget } from "../engine/launch/debug-target";
import type { SpareGdb } from "../engine/launch/spare-gdb";
import { describeForwarding } from "../engine/network/port-forwarding";
import type { QemuExit } from "../engine/qemu/exit-status";
import { parseReadyLine, type SerialLine } from "../engine/qemu/serial-line";
import {
  TORO_BUILD_EVENT,
  TORO_SESSION_EVENT,
  TORO_TELEMETRY_EVENT,
  type ToroSessionBody,
} from "../protocol/toro-protocol";
import { breakpointHandlers } from "./breakpoint-handlers";
import { CAPABILITIES } from "./capabilities";
import { customHandlers } from "./custom-handlers";
import { errorMessage } from "./error-messages";
import { type HandlerContext, type RequestHandler, handleRequest, RequestQueue } from "./requests";
import { inspectionHandlers } from "./inspection-handlers";
import { planAttach, planLaunch, type LaunchPlan } from "./launch-configuration";
import { runControlHandlers } from "./run-control-handlers";
import { debugSessionBody, runSessionBody } from "./session-body";
import { SessionLog } from "./session-log";
import { SessionState, type LiveTarget } from "./session-state";
import { handleTargetStop, sendStopped } from "./stop-handling";
import { startAttach, startLaunch, startRun, type StartHooks } from "./target-start";
import { TelemetryEvents } from "./telemetry-events";
import { TraceSession, traceHandlers } from "./trace-session";

export class ToroDebugSession extends DebugSession {
  private readonly state = new SessionState();
  private readonly queue = new RequestQueue();
  private readonly log = new SessionLog();
  private readonly handlers: Record<string, RequestHandler>;
  private readonly context: HandlerContext;
  private configurationDone!: () => void;
  private readonly configured = new Promise<void>((resolve) => (this.configurationDone = resolve));
  /** Settles once launch/attach has adopted its VM, or failed: configurationDone answers then. */
  private startSettled!: () => void;
  private readonly started = new Promise<void>((resolve) => (this.startSettled = resolve));
  private initializedSent = false;
  private ending: Promise<void> | undefined;

  /** `spareGdb`: a GDB the spare adapter started ahead of time (../adapter.ts); the first launch may take it. */
  constructor(private readonly spareGdb?: SpareGdb) {
    super();
    // GDB counts lines and columns from 1 (the base class assumes 0 unless told).
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.context = {
      state: this.state,
      lines: {
        toGdb: (line) => this.convertClientLineToDebugger(line),
        toClient: (line) => this.convertDebuggerLineToClient(line),
      },
      sendEvent: (event) => this.sendEvent(event),
      output: (text, category = "console") => this.sendEvent(new OutputEvent(text, category)),
      log: (text) => this.log.write(text),
    };
    const context = this.context;
    this.handlers = {
      ...breakpointHandlers(context),
      ...runControlHandlers(context),
      ...inspectionHandlers(context),
      ...customHandlers(context),
      ...traceHandlers(context),
      launch: (arguments_) => this.starting(() => this.launch(arguments_)),
      attach: (arguments_) => this.starting(() => this.attach(arguments_)),
      // Answered once the VM is adopted, so that the client's next requests (threads) see its vCPUs.
      configurationDone: async () => {
        this.configurationDone();
        await this.started;
      },
      terminate: () => this.terminate(),
      disconnect: (arguments_: DebugProtocol.DisconnectArguments) => this.disconnect(arguments_),
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
    void handleRequest(request, handler, this.queue, (text) => this.log.write(text)).then((response) => {
      this.sendResponse(response);
      if (request.command === "disconnect" && response.success) this.shutdown();
    });
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
    // The client may configure breakpoints from now on, while QEMU is still starting.
    debuggerLoaded: (gdb) => {
      if (this.ending !== undefined) return;
      this.state.loadedDebugger = gdb;
      this.sendInitialized();
    },
    log: (text) => this.log.write(text),
  };

  private sendInitialized(): void {
    if (this.initializedSent) return;
    this.initializedSent = true;
    this.sendEvent(new InitializedEvent());
  }

  /** Runs a launch or attach; whatever happens, configurationDone stops waiting for it. */
  private async starting(start: () => Promise<void>): Promise<void> {
    try {
      await start();
    } finally {
      this.startSettled();
    }
  }

  private async launch(raw: unknown): Promise<void> {
    const plan = planLaunch(raw);
    if (plan.arguments.logFile !== undefined) this.log.open(plan.arguments.logFile);
    this.log.write(`launch: planned (${plan.noDebug ? "run without debugging" : "debug"})`);
    if (plan.noDebug) return this.launchWithoutDebugging(plan);
    this.state.stopOnEntry = plan.stopOnEntry;
    const target = await startLaunch(plan, this.hooks, this.spareGdb);
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
      else sendStopped(this.context, { reason: "entry", threadId: 1, allThreadsStopped: true });
    });
  }

  /** Adopts a connected target, lets the client configure it, then starts it as asked. */
  private async begin(
    target: DebugTarget,
    origin: "launch" | "attach",
    telemetryHz: number,
    run: () => Promise<void>,
  ): Promise<void> {
    await this.adopt(target, debugSessionBody(target, origin, telemetryHz), async () => {
      this.state.target = target;
      this.state.origin = origin;
      target.on("stopped", (stop) => {
        this.queue
          .run(() => handleTargetStop(this.context, target, stop))
          .catch((error: unknown) => this.reportFailure("stop", error));
      });
      target.on("serialLine", (line) => this.serialOutput(line));
      target.on("gdbOutput", (output) => this.sendEvent(new OutputEvent(output.text, "console")));
      target.on("ended", (end) => this.onTargetEnded(end.message, end.qemuExit));
      await target.setPanicStops(this.state.panicStops);
    });
    await this.configured;
    if (target.state === "ended") return;
    // Queued: breakpoint requests still in the queue are applied before the VM runs.
    await this.queue.run(run).catch(async (error: unknown) => {
      await this.endSession("terminate");
      throw error;
    });
  }

  /** Run Without Debugging: QEMU without gdbstub and no GDB; the VM starts once the client is configured. */
  private async launchWithoutDebugging(plan: LaunchPlan): Promise<void> {
    if (plan.stopOnEntry)
      this.sendEvent(new OutputEvent("Running without debugging: stopOnEntry is ignored\n", "console"));
    const run = await startRun(plan, this.hooks);
    await this.adopt(run, runSessionBody(run, plan.telemetryHz), async () => {
      this.state.run = run;
      this.state.origin = "launch";
      run.on("serialLine", (line) => this.serialOutput(line));
      run.on("ended", (end) => this.onTargetEnded(end.message, end.qemuExit));
      run.on("shutdown", (text) => this.sendEvent(new OutputEvent(`${text}\n`, "important")));
    });
    await this.configured;
    if (run.state === "ended") return;
    await run.start().catch(async (error: unknown) => {
      await this.endSession("terminate");
      throw error;
    });
    this.log.write("launch: running without debugging");
  }

  /**
   * Makes `live` the session's VM: `wire` stores it in the state first thing (so that ending the session
   * ends it) and subscribes to its events; then the telemetry events, `toroSession` and `initialized`.
   * Ends the VM if the session was ended meanwhile or any step fails.
   */
  private async adopt(live: LiveTarget, body: ToroSessionBody, wire: () => Promise<void>): Promise<void> {
    if (this.ending !== undefined) {
      await live.dispose("terminate"); // the client disconnected while QEMU was starting
      throw new Error("the session was ended while it was starting");
    }
    try {
      await wire();
      this.state.telemetry = new TelemetryEvents(
        live,
        (telemetry) => this.sendEvent(new Event(TORO_TELEMETRY_EVENT, telemetry)),
        (text) => this.sendEvent(new OutputEvent(`${text}\n`, "important")),
      );
      this.state.trace = new TraceSession(live, (text) => this.log.write(text));
      this.sendEvent(new Event(TORO_SESSION_EVENT, body));
      if (body.network !== null)
        this.sendEvent(new OutputEvent(`${describeForwarding(body.network)}\n`, "console"));
      this.state.telemetry.start(body.telemetryHz);
      this.sendInitialized(); // unless sent when GDB was ready (launch)
      this.startSettled();
    } catch (error) {
      await this.endSession("terminate");
      throw error;
    }
  }

  private serialOutput(line: SerialLine): void {
    this.sendEvent(new OutputEvent(`${line.text}\n`, "stdout"));
    if (parseReadyLine(line.message) !== null) this.state.telemetry?.guestReady();
  }

  private onTargetEnded(message: string, qemuExit: QemuExit | undefined): void {
    const exitCode = qemuExit?.guestExitCode ?? qemuExit?.exitCode ?? null;
    this.onEnded(message, exitCode).catch((error: unknown) => this.reportFailure("end", error));
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
    // Clean up first: a client that sees `terminated` may check (or reuse) what the session held.
    try {
      await this.endSession("terminate");
    } finally {
      this.sendEvent(new TerminatedEvent());
    }
  }

  private async terminate(): Promise<void> {
    const hadTarget = (this.state.target ?? this.state.run) !== undefined;
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
    this.startSettled();
    this.ending ??= (async () => {
      this.state.telemetry?.stop();
      this.state.trace?.close();
      await (this.state.target ?? this.state.run)
        ?.dispose(mode)
        .catch((error: unknown) => this.log.write(`dispose failed: ${String(error)}`));
      await this.spareGdb?.dispose(); // unless the launch took it

      this.log.close();
    })();
    return this.ending;
  }
}
