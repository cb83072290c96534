// qemu-instance.ts - one QEMU run: a private 0700 directory holding the guest RAM file (0600, shared with the
// engine), the QMP socket; QEMU spawned with an argument array (arguments.ts); serial lines captured
// (serial-console.ts); QMP connected (qmp-client.ts); optional gdbstub on 127.0.0.1; run.json written into the
// directory (run-description.ts) for the exporter to find the VM. stop() kills QEMU, waits
// for it and removes the directory; the same cleanup runs by itself when QEMU exits on its own.

import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { ToroError } from "../errors";
import { findExecutable } from "../executables";
import { LaunchOverrides, QemuProfile, UEFI_FIRMWARE_PACKAGE } from "../profiles/profile";
import { planPortForwarding, PortForwarding } from "../network/port-forwarding";
import { checkAccelerator } from "./accelerator-check";
import { buildQemuArguments, EffectiveSettings, effectiveSettings } from "./arguments";
import { QemuExitedError, QemuNotFoundError, QemuStartTimeoutError, QmpConnectTimeoutError } from "./errors";
import { guestExitCodeFromStatus, QemuExit } from "./exit-status";
import { registerLiveInstance, unregisterLiveInstance } from "./live-instances";
import { guardAgainstOrphaning } from "./orphan-guard";
import { createPrivateDirectory, createPrivateFile, removePrivateDirectory } from "./private-directory";
import { QmpClient, QmpEvent } from "./qmp-client";
import { describeRun, writeRunDescription } from "./run-description";
import { SerialConsole } from "./serial-console";

export const DEFAULT_QEMU_PATH = "qemu-system-x86_64";
const STDERR_LIMIT = 64 * 1024;
const TERMINATE_GRACE_MS = 3000;
/** How long a failed start waits for QEMU's exit status and message. */
const EXIT_WAIT_MS = 2000;
/**
 * Until QEMU has created its QMP socket, connecting is retried this often. Short: the launch waits on it, and
 * a refused connect to a unix socket path costs next to nothing.
 */
const QMP_RETRY_INTERVAL_MS = 2;

export class KernelImageNotFoundError extends ToroError {
  constructor(readonly kernelPath: string) {
    super(`kernel image not found: ${kernelPath}`, "Build the app first (toro build <app>).");
  }
}

/** The profile's firmware file (OVMF for "uefi-iso") is not installed. One line: what is missing, what to install. */
export class FirmwareNotFoundError extends ToroError {
  constructor(
    readonly firmwarePath: string,
    profile: QemuProfile,
  ) {
    super(
      `firmware not found: ${firmwarePath} (profile "${profile.name}"); ` +
        (profile.boot === "uefi-iso"
          ? `install the Debian package ${UEFI_FIRMWARE_PACKAGE}: sudo apt-get install -y ${UEFI_FIRMWARE_PACKAGE}`
          : `correct the profile's "firmware" path`),
    );
  }
}

export interface QemuLaunchOptions {
  /** The file QEMU boots, per profile.boot: the app's build/boot.elf, kernel.elf or toro.iso. */
  kernelPath: string;
  profile: QemuProfile;
  overrides?: LaunchOverrides;
  qemuPath?: string;
  /** Open QEMU's gdbstub on 127.0.0.1 at a free port that QEMU picks (or at gdbPort). */
  gdbstub?: boolean;
  /** With gdbstub: this port instead of a free one (QEMU fails to start if it is taken). */
  gdbPort?: number;
  /** Start with the vCPUs stopped (-S) until GDB or QMP `cont` resumes them. */
  stopAtStart?: boolean;
  /** How long QEMU may take to open its QMP socket; default 20 s (TCG on a loaded machine is slow). */
  startTimeoutMs?: number;
  /** Where the private directory is created; default os.tmpdir() (where the exporter looks for runs). */
  parentDirectory?: string;
  /** kernel.elf of the booted image, named in run.json (run-description.ts); default: next to kernelPath. */
  kernelElfPath?: string;
}

export class QemuInstance {
  readonly serial = new SerialConsole();
  /** The last SHUTDOWN event's reason ("guest-reset" after a triple fault), null until one arrives. */
  shutdownReason: string | null = null;
  private stderrText = "";
  private exitInfo: QemuExit | undefined;
  private stopping: Promise<QemuExit> | undefined;
  private qmpClient: QmpClient | undefined;
  private spawnError: Error | undefined;
  private readonly exitedPromise: Promise<QemuExit>;
  private resolveExited!: (exit: QemuExit) => void;

  private constructor(
    readonly directory: string,
    readonly ramPath: string,
    readonly qmpSocketPath: string,
    private gdbPortValue: number | undefined,
    readonly settings: EffectiveSettings,
    readonly qemuArguments: string[],
    private readonly process: ChildProcess,
    /** performance.now() just before QEMU was spawned. */
    readonly startedAtMs: number,
    private readonly live: ReturnType<typeof registerLiveInstance>,
    /** The forwarded port of the `network` option (URL to show the user), null without a network. */
    readonly network: PortForwarding | null = null,
  ) {
    this.exitedPromise = new Promise((resolve) => (this.resolveExited = resolve));
  }

  /** Starts QEMU and resolves once its QMP socket answers; on any failure nothing is left behind. */
  static async start(options: QemuLaunchOptions): Promise<QemuInstance> {
    if (!fs.existsSync(options.kernelPath)) throw new KernelImageNotFoundError(options.kernelPath);
    checkAccelerator(options.overrides?.accel ?? options.profile.accel);
    const firmware = options.profile.firmware;
    if (firmware !== undefined && !fs.existsSync(firmware))
      throw new FirmwareNotFoundError(firmware, options.profile);
    const directory = await createPrivateDirectory(options.parentDirectory);
    const live = registerLiveInstance(directory);
    try {
      const ramPath = path.join(directory, "guest-ram");
      const qmpSocketPath = path.join(directory, "qmp.sock");
      await createPrivateFile(ramPath);
      // Port 0: QEMU binds a free port itself (no race with other programs); QMP says which, below.
      const gdbPort = options.gdbstub ? (options.gdbPort ?? 0) : undefined;
      const overrides = options.overrides ?? {};
      const network = await planPortForwarding(options.profile, overrides);
      const qemuArguments = buildQemuArguments(options.profile, overrides, {
        kernelPath: path.resolve(options.kernelPath),
        ramPath,
        qmpSocketPath,
        gdbPort,
        stopAtStart: options.stopAtStart ?? false,
        network,
      });
      const qemuPath = options.qemuPath ?? DEFAULT_QEMU_PATH;
      const qemuExecutable = findExecutable(qemuPath);
      if (qemuExecutable === undefined) throw new QemuNotFoundError(qemuPath);
      // detached: QEMU gets its own process group, so a terminal's ^C reaches only us and we stop QEMU in
      // order (final telemetry snapshot first). live-instances.ts kills it if Node exits without stop(), and
      // the orphan guard if Node is killed outright.
      const { command, args } = guardAgainstOrphaning(qemuExecutable, qemuArguments);
      const startedAtMs = performance.now();
      const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], detached: true });
      live.pid = child.pid;
      const instance = new QemuInstance(
        directory,
        ramPath,
        qmpSocketPath,
        gdbPort,
        effectiveSettings(options.profile, overrides),
        qemuArguments,
        child,
        startedAtMs,
        live,
        network,
      );
      instance.watch(qemuPath);
      await instance.connectQmp(options.startTimeoutMs ?? 20_000);
      if (gdbPort === 0) await instance.learnGdbPort();
      try {
        instance.describe(options, Date.now() - (performance.now() - startedAtMs));
      } catch (error) {
        await instance.stop();
        throw error;
      }
      return instance;
    } catch (error) {
      if (live.pid === undefined) {
        unregisterLiveInstance(live);
        await removePrivateDirectory(directory);
      }
      throw error;
    }
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** The gdbstub's port on 127.0.0.1, undefined without a gdbstub. */
  get gdbPort(): number | undefined {
    return this.gdbPortValue;
  }

  get qmp(): QmpClient {
    if (this.qmpClient === undefined) throw new ToroError("QMP is not connected");
    return this.qmpClient;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** QEMU's stderr so far (bounded). */
  get stderr(): string {
    return this.stderrText;
  }

  /** Resolves once QEMU has exited and its directory has been removed. */
  get exited(): Promise<QemuExit> {
    return this.exitedPromise;
  }

  /** Kills QEMU (SIGTERM, then SIGKILL after a grace period), waits for it, removes the directory. */
  stop(): Promise<QemuExit> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<QemuExit> {
    if (!this.hasExited) {
      // Its directory first: QEMU keeps what it has open (the RAM mapping, the QMP connection), and once its
      // process is gone nothing of it is left, instead of the folder trailing the exit by a few milliseconds.
      await removePrivateDirectory(this.directory).catch(() => undefined);
      this.signal("SIGTERM");
    }
    const timer = setTimeout(() => this.signal("SIGKILL"), TERMINATE_GRACE_MS);
    try {
      return await this.exitedPromise;
    } finally {
      clearTimeout(timer);
    }
  }

  private signal(name: NodeJS.Signals): void {
    if (this.hasExited || this.process.pid === undefined) return;
    try {
      this.process.kill(name);
    } catch {
      // exited in between: the close handler finishes the cleanup
    }
  }

  private watch(qemuPath: string): void {
    this.process.stdout!.on("data", (chunk: Buffer) => this.serial.push(chunk));
    this.process.stderr!.on("data", (chunk: Buffer) => {
      this.stderrText = (this.stderrText + chunk.toString("utf8")).slice(-STDERR_LIMIT);
    });
    this.process.stdin!.on("error", () => undefined); // EPIPE once QEMU is gone
    this.process.on("error", (error: NodeJS.ErrnoException) => {
      this.spawnError = error.code === "ENOENT" ? new QemuNotFoundError(qemuPath) : error;
      if (this.process.pid === undefined) void this.finish(null, null);
    });
    // "close" comes after the exit and after stdout/stderr are drained, so no serial byte is lost.
    this.process.on("close", (code, signal) => void this.finish(code, signal));
  }

  private async connectQmp(timeoutMs: number): Promise<void> {
    try {
      this.qmpClient = await QmpClient.connect(this.qmpSocketPath, {
        timeoutMs,
        retryIntervalMs: QMP_RETRY_INTERVAL_MS,
        abortReason: () => this.startFailure(),
      });
    } catch (error) {
      // QMP closing early usually means QEMU is exiting: give its exit a moment to arrive, so the error
      // carries QEMU's own message. Decide the reason before stopping: afterwards QEMU has always "exited".
      if (!(error instanceof QmpConnectTimeoutError)) {
        await Promise.race([this.exitedPromise, new Promise((resolve) => setTimeout(resolve, EXIT_WAIT_MS))]);
      }
      const failure =
        this.startFailure() ??
        (error instanceof QmpConnectTimeoutError ? new QemuStartTimeoutError(timeoutMs) : error);
      await this.stop();
      throw failure;
    }
    this.qmpClient.onEvent((event: QmpEvent) => {
      if (event.event === "SHUTDOWN") this.shutdownReason = String(event.data?.reason ?? "unknown");
    });
  }

  /**
   * Reads the port QEMU bound for `-gdb tcp:127.0.0.1:0` from its chardev list (label "gdb", filename like
   * `disconnected:tcp:127.0.0.1:34953,server=on`); stops QEMU if it cannot be found.
   */
  private async learnGdbPort(): Promise<void> {
    const chardevs = await this.qmp.execute<{ label: string; filename: string }[]>("query-chardev");
    const gdbstub = chardevs.find((chardev) => chardev.label === "gdb");
    const port = Number(/tcp:[^,]*:(\d+)/.exec(gdbstub?.filename ?? "")?.[1]);
    if (!Number.isInteger(port) || port <= 0) {
      await this.stop();
      throw new ToroError(
        `QEMU did not say which port its gdbstub listens on (query-chardev: ${JSON.stringify(chardevs)})`,
        'Give a fixed "gdbPort", or use QEMU 6 or later.',
      );
    }
    this.gdbPortValue = port;
  }

  /** Writes run.json, so other programs of this user (the exporter) can find this VM and its telemetry. */
  private describe(options: QemuLaunchOptions, startedAtWallMs: number): void {
    writeRunDescription(
      this.directory,
      describeRun({
        kernelPath: options.kernelPath,
        kernelElfPath: options.kernelElfPath,
        profile: options.profile.name,
        idlePolicy: this.settings.idlePolicy,
        cpus: this.settings.cpus,
        pid: this.process.pid!,
        ramPath: this.ramPath,
        qmpSocketPath: this.qmpSocketPath,
        gdbPort: this.gdbPortValue,
        startedAtMs: Math.round(startedAtWallMs),
      }),
    );
  }

  private startFailure(): Error | undefined {
    if (this.spawnError !== undefined) return this.spawnError;
    if (this.exitInfo !== undefined) {
      return new QemuExitedError("starting", this.exitInfo.exitCode, this.exitInfo.signal, this.stderrText);
    }
    return undefined;
  }

  private async finish(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.exitInfo !== undefined) return;
    const exit: QemuExit = {
      exitCode: code,
      signal,
      guestExitCode: guestExitCodeFromStatus(code),
      stderr: this.stderrText,
    };
    this.exitInfo = exit;
    this.serial.end(
      (waitingFor) => new QemuExitedError(waitingFor, exit.exitCode, exit.signal, this.stderrText),
    );
    this.qmpClient?.close();
    await removePrivateDirectory(this.directory);
    unregisterLiveInstance(this.live);
    this.resolveExited(exit);
  }
}
