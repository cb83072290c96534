// guest-run.ts - the one way to hold a booted VM without a debugger: the QEMU instance, the live telemetry
// reader over its RAM file, the VM's telemetry stream (one TelemetryPoller, with QEMU's host CPU) and the
// ready line. `toro run`, the benchmark and the integration tests start one (start()); the DAP session's Run
// Without Debugging (../launch/run-target.ts) and its launched debug target (../launch/debug-target.ts) adopt
// the QEMU they started (adopt()) and add QMP control or GDB on top. Pairs with ../qemu/qemu-instance.ts and
// ../telemetry/telemetry-poller.ts.

import { QemuExit } from "../qemu/exit-status";
import { QemuInstance, QemuLaunchOptions } from "../qemu/qemu-instance";
import { parseReadyLine, SerialLine } from "../qemu/serial-line";
import { ProcessCpuSampler } from "../host/process-cpu";
import type { GuestClock } from "../telemetry/guest-clock";
import { TelemetryReader } from "../telemetry/telemetry-reader";
import { TelemetryPoller, TelemetryPollerOptions } from "../telemetry/telemetry-poller";
import { isUnreadable } from "../telemetry/snapshot";

export const DEFAULT_READY_TIMEOUT_MS = 60_000;

/** How the run's telemetry stream is set up. */
export interface GuestTelemetryOptions {
  /** kernel.elf of the same build, to find the telemetry block; omit to boot without telemetry. */
  kernelElfPath?: string;
  /** The poller's window for rates (TelemetryPollerOptions.activityWindowMs); default 0: since the last poll. */
  activityWindowMs?: number;
  /** The poller's guest clock (a debugged VM's RunAwareClock stands still while stopped); default a new one. */
  clock?: GuestClock;
}

export interface GuestRunOptions extends QemuLaunchOptions, GuestTelemetryOptions {}

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
    options: GuestTelemetryOptions,
  ) {
    this.poller =
      telemetry === undefined
        ? undefined
        : new TelemetryPoller({
            source: telemetry,
            qemuPid: qemu.pid,
            clock: options.clock,
            activityWindowMs: options.activityWindowMs,
            ownsSource: false,
          });
  }

  /** Starts QEMU and holds it; nothing is left running if that fails. */
  static async start(options: GuestRunOptions): Promise<GuestRun> {
    const qemu = await QemuInstance.start(options);
    try {
      return GuestRun.adopt(qemu, options);
    } catch (error) {
      await qemu.stop();
      throw error;
    }
  }

  /**
   * Holds a QEMU started elsewhere (e.g. by ../launch/qemu-for-image.ts while the image was built). Throws if
   * kernel.elf has no telemetry block; the caller then still owns `qemu` and stops it.
   */
  static adopt(qemu: QemuInstance, options: GuestTelemetryOptions = {}): GuestRun {
    const telemetry =
      options.kernelElfPath === undefined
        ? undefined
        : new TelemetryReader(options.kernelElfPath, qemu.ramPath);
    return new GuestRun(qemu, telemetry, new ProcessCpuSampler(qemu.pid!), options);
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

  /**
   * Closes the poller and the reader (take a last poll before), then stops QEMU (if still running), waits for
   * it and removes its files.
   */
  async stop(): Promise<QemuExit> {
    await this.poller?.close();
    this.telemetry?.close();
    return this.qemu.stop();
  }
}
