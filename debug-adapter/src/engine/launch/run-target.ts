// run-target.ts - Run Without Debugging (the launch's `noDebug`) as the DAP session sees it: a GuestRun
// (../run/guest-run.ts, the one VM-without-debugger path that `toro run` and the benchmark use too: QEMU, the
// telemetry reader and stream) booted from a profile with no gdbstub and no GDB, held at reset (-S) until
// start() resumes it over QMP, so that whoever listens sees the first serial line; plus QMP's view of the VM
// and restart through QMP. Ends like a DebugTarget: `ended` when QEMU exits on its own, dispose() stops QEMU
// and removes its files. The DAP session (src/session/) answers every request that needs GDB with an error.

import { EventEmitter } from "node:events";
import type { LaunchOverrides, QemuProfile } from "../profiles/profile";
import { QemuInstance } from "../qemu/qemu-instance";
import type { SerialLine } from "../qemu/serial-line";
import { GuestRun } from "../run/guest-run";
import type { TelemetryPoller } from "../telemetry/telemetry-poller";
import { startQemuForImage, type ImagePreparation } from "./qemu-for-image";
import { RunAwareClock } from "./run-aware-clock";
import { describeEnd, type TargetEnd } from "./target-end";
import { describeShutdown } from "./target-stop";
import { resetVm, restoreRebootAction } from "./vm-reset";
import { VmMonitor } from "./vm-monitor";

export interface RunTargetOptions {
  /** The image, prepared (built) while QEMU starts. */
  image: ImagePreparation;
  profile: QemuProfile;
  overrides: LaunchOverrides;
  qemuPath?: string;
  /** Where the private directory is created; default os.tmpdir(). */
  parentDirectory?: string;
  log?: (text: string) => void;
}

interface RunTargetEvents {
  serialLine: [SerialLine];
  /** QEMU exited on its own (the guest left through isa-debug-exit, QEMU was killed...). */
  ended: [TargetEnd];
  /** The VM shut down (a triple fault, a power-off) and QEMU paused it: a sentence for the user. */
  shutdown: [string];
}

export class RunTarget extends EventEmitter<RunTargetEvents> {
  readonly vm: VmMonitor;
  private hasEnded = false;
  private rebootActionToRestore = false;
  private disposal: Promise<void> | undefined;

  private constructor(
    readonly run: GuestRun,
    readonly kernelElf: string,
    /** The run's guest clock (its poller's), reset with the VM. */
    readonly clock: RunAwareClock,
    private readonly log: ((text: string) => void) | undefined,
  ) {
    super();
    this.vm = new VmMonitor(run.qemu.qmp);
    this.wire();
  }

  get qemu(): QemuInstance {
    return this.run.qemu;
  }

  /** The VM's telemetry stream; the session's telemetry events start it, threads read it on demand. */
  get poller(): TelemetryPoller {
    return this.run.poller!;
  }

  /** Boots the image (once built) in QEMU held at reset; nothing is left behind if that fails. */
  static async launch(options: RunTargetOptions): Promise<RunTarget> {
    const start = (bootElf: string) =>
      QemuInstance.start({
        kernelPath: bootElf,
        profile: options.profile,
        overrides: options.overrides,
        qemuPath: options.qemuPath,
        gdbstub: false,
        stopAtStart: true,
        parentDirectory: options.parentDirectory,
      });
    const started = startQemuForImage(options.image, start, options.log);
    const qemu = await started.qemu;
    const image = await started.image;
    try {
      options.log?.(`run: qemu ${qemu.pid} ${qemu.qemuArguments.join(" ")}`);
      const clock = new RunAwareClock();
      const run = GuestRun.adopt(qemu, { kernelElfPath: image.kernelElf, clock });
      return new RunTarget(run, image.kernelElf, clock, options.log);
    } catch (error) {
      await qemu.stop();
      throw error;
    }
  }

  get cpuCount(): number {
    return this.qemu.settings.cpus;
  }

  /** "stopped" while QEMU holds the VM: before start(), or paused after a shutdown. */
  get state(): "running" | "stopped" | "ended" {
    if (this.hasEnded) return "ended";
    const status = this.vm.snapshot.status;
    return status === null || status === "running" ? "running" : "stopped";
  }

  /** Lets the vCPUs run (QMP `cont`). */
  async start(): Promise<void> {
    await this.qemu.qmp.execute("cont");
  }

  /** Boots the VM again in the same QEMU (QMP `system_reset`); it keeps running. */
  async restart(): Promise<void> {
    await resetVm(this.qemu.qmp, true);
    this.rebootActionToRestore = true;
    this.vm.clearShutdown();
    this.clock.reset();
    // Paused after a shutdown (or never started): run it.
    const status = await this.qemu.qmp.execute<{ running?: boolean }>("query-status");
    if (status?.running === false) await this.start();
  }

  /**
   * Stops telemetry and QEMU and removes QEMU's files; safe to call again. `mode` is there to match
   * DebugTarget: this VM was launched by the session, so it ends either way.
   */
  dispose(mode: "terminate" | "detach" = "terminate"): Promise<void> {
    this.log?.(`run: ending (${mode})`);
    this.disposal ??= (async () => {
      this.hasEnded = true;
      await this.poller.close().catch(() => undefined);
      this.vm.close();
      await this.run.stop();
    })();
    return this.disposal;
  }

  private wire(): void {
    this.qemu.serial.onLine((line) => {
      this.log?.(`serial ${line.text}`);
      if (this.rebootActionToRestore && line.core !== null) {
        this.rebootActionToRestore = false;
        restoreRebootAction(this.qemu.qmp);
      }
      this.emit("serialLine", line);
    });
    this.qemu.qmp.onEvent((event) => {
      this.log?.(`qmp event ${event.event} ${JSON.stringify(event.data ?? {})}`);
      // Only the guest's own shutdowns: ours (dispose) is a `host-signal` one.
      const reason = event.data?.reason;
      if (event.event === "SHUTDOWN" && typeof reason === "string" && reason.startsWith("guest-"))
        this.emit("shutdown", describeShutdown(reason, null));
    });
    void this.qemu.exited.then((exit) => {
      if (this.hasEnded) return;
      this.hasEnded = true;
      const end = { cause: "qemu-exited" as const, qemuExit: exit };
      this.emit("ended", { ...end, message: describeEnd(end, this.qemu.stderr) });
    });
  }
}
