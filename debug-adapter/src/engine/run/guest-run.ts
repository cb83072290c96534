// guest-run.ts - one booted app with everything the engine watches: the QEMU instance, the live telemetry
// reader over its RAM file and the host CPU sampler of the QEMU process. What the CLI, the benchmark and the
// integration tests drive; the DAP session will add GDB on top. Pairs with ../qemu/qemu-instance.ts and
// ../telemetry/telemetry-reader.ts.

import { QemuExit } from "../qemu/exit-status";
import { QemuInstance, QemuLaunchOptions } from "../qemu/qemu-instance";
import { parseReadyLine, SerialLine } from "../qemu/serial-line";
import { ProcessCpuSampler } from "../host/process-cpu";
import { TelemetryReader } from "../telemetry/telemetry-reader";
import { TelemetryPoller, TelemetryPollerOptions } from "../telemetry/telemetry-poller";
import { isUnreadable } from "../telemetry/snapshot";

export const DEFAULT_READY_TIMEOUT_MS = 60_000;

export interface GuestRunOptions extends QemuLaunchOptions {
  /** kernel.elf of the same build, to find the telemetry block; omit to boot without telemetry. */
  kernelElfPath?: string;
  /** The poller's window for rates (TelemetryPollerOptions.activityWindowMs); default 0: since the last poll. */
  activityWindowMs?: number;
}

export class GuestRun {
  /**
   * The run's telemetry stream (not started: call start(), or pollNow()), with QEMU's host CPU; shares the
   * guest clock that waitForReady anchors. Undefined without kernelElfPath. Closed by stop().
   */
  readonly poller: TelemetryPoller | undefined;

  private constructor(
    readonly qemu: QemuInstance,
    readonly telemetry: TelemetryReader | undefined,
    readonly hostCpu: ProcessCpuSampler,
    activityWindowMs: number | undefined,
  ) {
    this.poller =
      telemetry === undefined
        ? undefined
        : new TelemetryPoller({ source: telemetry, qemuPid: qemu.pid, activityWindowMs, ownsSource: false });
  }

  static async start(options: GuestRunOptions): Promise<GuestRun> {
    const qemu = await QemuInstance.start(options);
    try {
      const telemetry =
        options.kernelElfPath === undefined
          ? undefined
          : new TelemetryReader(options.kernelElfPath, qemu.ramPath);
      return new GuestRun(qemu, telemetry, new ProcessCpuSampler(qemu.pid!), options.activityWindowMs);
    } catch (error) {
      await qemu.stop();
      throw error;
    }
  }

  /**
   * Waits for `toro: ready cores=N idle=P` and anchors the guest clock on ready_tsc at the line's arrival.
   * Rejects with SerialTimeoutError or QemuExitedError.
   */
  async waitForReady(timeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<SerialLine> {
    const line = await this.qemu.serial.waitForLine(
      (candidate) => parseReadyLine(candidate.message) !== null,
      {
        timeoutMs,
      },
    );
    const result = this.telemetry?.read();
    if (result !== undefined && !isUnreadable(result) && result.global.readyTsc !== null) {
      this.poller!.anchorClock(result.global.readyTsc, line.receivedAtMs);
    }
    return line;
  }

  /**
   * Another poller over this run's RAM-file reader (the benchmark measures rates with its own), sharing the
   * run's guest clock and sampling QEMU's host CPU. Not started; close it before stop() (closing it leaves
   * the reader open: the run owns it).
   */
  createPoller(
    options: Omit<TelemetryPollerOptions, "source" | "qemuPid" | "clock" | "ownsSource"> = {},
  ): TelemetryPoller {
    if (this.telemetry === undefined)
      throw new Error("this run was started without kernelElfPath: no telemetry");
    return new TelemetryPoller({
      ...options,
      source: this.telemetry,
      qemuPid: this.qemu.pid,
      clock: this.poller!.clock,
      ownsSource: false,
    });
  }

  /** Stops QEMU (if still running), waits for it, removes its files, closes the poller and the reader. */
  async stop(): Promise<QemuExit> {
    try {
      await this.poller?.close();
      return await this.qemu.stop();
    } finally {
      this.telemetry?.close();
    }
  }
}
