// trace-session.ts - the kernel's event trace in a DAP session: records it while the session lives (a
// TraceRecorder fed by every poll of the VM's one telemetry stream, so no timer of its own) and answers the
// custom requests of protocol/trace-protocol.ts: `toroTraceControl` (kinds on/off through TraceSwitch, a write
// of one word in the guest RAM file), `toroTraceWindow` (drains now, then the window in compact form:
// trace-window-body.ts) and `toroTraceExport` (the window as a Chrome JSON trace). None of them talks to GDB
// or stops the VM. Needs the guest RAM file of a VM this session launched; on attach the requests say so.

import * as fs from "node:fs";
import * as path from "node:path";
import { ToroError } from "../engine/errors";
import { locateTelemetry } from "../engine/telemetry/telemetry-reader";
import { TraceSwitch, traceKindsFor } from "../engine/trace/trace-control";
import { TraceRecorder } from "../engine/trace/trace-recorder";
import {
  TORO_TRACE_CONTROL_REQUEST,
  TORO_TRACE_EXPORT_REQUEST,
  TORO_TRACE_WINDOW_REQUEST,
  type ToroTraceControlArguments,
  type ToroTraceControlBody,
  type ToroTraceExportArguments,
  type ToroTraceExportBody,
  type ToroTraceWindowArguments,
  type ToroTraceWindowBody,
} from "../protocol/trace-protocol";
import { describeValue } from "../protocol/validate-arguments";
import type { HandlerContext, RequestHandler } from "./requests";
import type { LiveTarget } from "./session-state";
import { traceWindowBody, type TraceWindowLimits } from "./trace-window-body";

/** The widest view a toroTraceWindow may ask for (an 8K screen is 7,680 pixels). */
const MAX_WIDTH_PX = 100_000;

/** The custom requests of this file: none of them waits behind GDB work (requests.ts UNQUEUED). */
export const TRACE_REQUESTS = [
  TORO_TRACE_CONTROL_REQUEST,
  TORO_TRACE_WINDOW_REQUEST,
  TORO_TRACE_EXPORT_REQUEST,
] as const;

export class TraceSession {
  private readonly recorder: TraceRecorder | undefined;
  private traceSwitch: TraceSwitch | undefined;
  private readonly unsubscribe: (() => void) | undefined;
  /** Why this session has no trace (attached VM, no telemetry symbol); undefined when it has one. */
  private readonly unavailable: string | undefined;
  /** toro_telemetry's physical address and the guest RAM file, for the switch. */
  private blockAddress = 0;
  private ramPath = "";

  constructor(
    private readonly live: LiveTarget,
    private readonly log: (text: string) => void,
  ) {
    const files = traceFiles(live);
    if (typeof files === "string") {
      this.unavailable = files;
      return;
    }
    try {
      this.blockAddress = locateTelemetry(files.kernelElf).physicalAddress; // first: it holds no file
      this.ramPath = files.ramPath;
      this.recorder = TraceRecorder.open(files.kernelElf, files.ramPath);
    } catch (error) {
      this.unavailable = `the event trace cannot be read: ${(error as Error).message}`;
      return;
    }
    this.unsubscribe = live.poller.onPoll(
      (poll) => this.observe(poll.sample?.snapshot ?? null),
      "every-poll",
    );
  }

  /** Writes the kernel's enabled_kinds word; the VM keeps running. */
  control(setting: string): ToroTraceControlBody {
    let kinds: number;
    try {
      kinds = traceKindsFor(setting);
    } catch (error) {
      throw new ToroError(`"kinds": ${(error as Error).message}`);
    }
    const traceSwitch = this.switch();
    const previousKinds = traceSwitch.kinds;
    traceSwitch.kinds = kinds;
    this.log(`trace: kinds 0x${previousKinds.toString(16)} -> 0x${kinds.toString(16)} ("${setting}")`);
    return { previousKinds, enabledKinds: traceSwitch.kinds };
  }

  /** Drains now (through a telemetry poll, which also refreshes names), then the window. */
  async window(limits: TraceWindowLimits = {}): Promise<ToroTraceWindowBody> {
    const recorder = this.require();
    await this.live.poller.pollNow();
    return traceWindowBody(recorder.window(), this.currentKinds(), limits);
  }

  /** Drains now and writes the window as a Chrome JSON trace. */
  async export(filePath: string): Promise<ToroTraceExportBody> {
    const recorder = this.require();
    await this.live.poller.pollNow();
    const trace = recorder.chromeTrace();
    fs.writeFileSync(filePath, JSON.stringify(trace));
    const cores = trace.traceEvents.filter((event) => event.name === "thread_name").length;
    return { path: filePath, events: trace.traceEvents.length, cores };
  }

  close(): void {
    this.unsubscribe?.();
    this.recorder?.close();
    this.traceSwitch?.close();
    this.traceSwitch = undefined;
  }

  private observe(snapshot: Parameters<TraceRecorder["observe"]>[0]): void {
    try {
      this.recorder?.observe(snapshot);
    } catch (error) {
      this.log(`trace: drain failed: ${(error as Error).message}`);
    }
  }

  private require(): TraceRecorder {
    if (this.recorder === undefined) throw new ToroError(this.unavailable ?? "no event trace");
    return this.recorder;
  }

  /** The switch, opened once the kernel has set up its trace section. */
  private switch(): TraceSwitch {
    this.require();
    if (this.traceSwitch === undefined) {
      try {
        this.traceSwitch = new TraceSwitch(this.ramPath, this.blockAddress);
      } catch (error) {
        throw new ToroError(
          `the event trace cannot be switched yet: ${(error as Error).message} (has the kernel booted?)`,
        );
      }
    }
    return this.traceSwitch;
  }

  private currentKinds(): number | null {
    try {
      return this.switch().kinds;
    } catch {
      return null; // no trace section yet: the body's problem says why
    }
  }
}

/** The kernel.elf and guest RAM file of `live`, or why there are none. */
function traceFiles(live: LiveTarget): { kernelElf: string; ramPath: string } | string {
  const qemu = live.qemu;
  if (qemu === undefined) {
    return "the event trace is read from the guest RAM file of a VM this session launched; this session attached to a running QEMU";
  }
  const kernelElf = "parts" in live ? live.parts.kernelElf : live.kernelElf;
  return { kernelElf, ramPath: qemu.ramPath };
}

export function traceHandlers(context: HandlerContext): Record<string, RequestHandler> {
  const { state } = context;
  const trace = (): TraceSession => {
    state.requireLive();
    if (state.trace === undefined) throw new ToroError("the event trace is not set up yet");
    return state.trace;
  };
  return {
    [TORO_TRACE_CONTROL_REQUEST]: async (arguments_: Partial<ToroTraceControlArguments>) => {
      if (typeof arguments_.kinds !== "string" || arguments_.kinds.trim() === "") {
        throw new ToroError(
          `"kinds" must be "on", "off" or a comma list of trace groups, got ${describeValue(arguments_.kinds)}`,
        );
      }
      return trace().control(arguments_.kinds.trim());
    },
    [TORO_TRACE_WINDOW_REQUEST]: async (arguments_: Partial<ToroTraceWindowArguments>) =>
      trace().window(traceWindowLimits(arguments_ ?? {})),
    [TORO_TRACE_EXPORT_REQUEST]: async (arguments_: Partial<ToroTraceExportArguments>) => {
      const filePath = arguments_.path;
      if (typeof filePath !== "string" || !path.isAbsolute(filePath)) {
        throw new ToroError(`"path" must be an absolute file path, got ${describeValue(filePath)}`);
      }
      const folder = path.dirname(filePath);
      if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
        throw new ToroError(`cannot write the trace to ${filePath}: the folder ${folder} does not exist`);
      }
      if (fs.existsSync(filePath) && fs.statSync(filePath).isDirectory()) {
        throw new ToroError(
          `cannot write the trace to ${filePath}: it is a folder, a file path was expected`,
        );
      }
      return trace().export(filePath);
    },
  };
}

/** The toroTraceWindow arguments, checked: a clear error names the field and what was expected. */
export function traceWindowLimits(arguments_: Partial<ToroTraceWindowArguments>): TraceWindowLimits {
  const { lastSeconds, startMicroseconds, endMicroseconds, widthPx } = arguments_;
  const finite = (value: unknown) => typeof value === "number" && Number.isFinite(value);
  if (lastSeconds !== undefined && (!finite(lastSeconds) || lastSeconds <= 0)) {
    throw new ToroError(
      `"lastSeconds" must be a positive number of seconds, got ${describeValue(lastSeconds)}`,
    );
  }
  for (const [name, value] of [
    ["startMicroseconds", startMicroseconds],
    ["endMicroseconds", endMicroseconds],
  ] as const) {
    if (value !== undefined && !finite(value))
      throw new ToroError(
        `"${name}" must be a number of microseconds of guest time, got ${describeValue(value)}`,
      );
  }
  if (lastSeconds !== undefined && (startMicroseconds !== undefined || endMicroseconds !== undefined)) {
    throw new ToroError(`"lastSeconds" and "startMicroseconds"/"endMicroseconds" cannot be used together`);
  }
  if (
    startMicroseconds !== undefined &&
    endMicroseconds !== undefined &&
    endMicroseconds <= startMicroseconds
  ) {
    throw new ToroError(
      `"endMicroseconds" (${endMicroseconds}) must be after "startMicroseconds" (${startMicroseconds})`,
    );
  }
  if (widthPx !== undefined && (!Number.isInteger(widthPx) || widthPx < 1 || widthPx > MAX_WIDTH_PX)) {
    throw new ToroError(
      `"widthPx" must be a whole number of pixels from 1 to ${MAX_WIDTH_PX}, got ${describeValue(widthPx)}`,
    );
  }
  return { lastSeconds, startMicroseconds, endMicroseconds, widthPx };
}
