// manual-qemu.ts - QEMU started "by hand", as a developer would type it, outside the engine's launcher:
// the profile's machine, the kernel and its command line, and optionally `-S`, a gdbstub and a QMP socket;
// no RAM file, no serial capture, no -action. The F5 benchmark's floor (f5-latency.ts) boots it, and the
// QMP telemetry tests attach to it as to a QEMU the engine did not start. Pairs with qemu-instance.ts (the engine's own launcher).

import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { effectiveSettings } from "./arguments";
import { DEFAULT_QEMU_PATH } from "./qemu-instance";
import { LaunchOverrides, QemuProfile } from "../profiles/profile";

const STOP_GRACE_MS = 3000;

export interface ManualQemuOptions {
  kernelPath: string;
  profile: QemuProfile;
  overrides?: LaunchOverrides;
  qemuPath?: string;
  /** `-gdb tcp:127.0.0.1:<port>`. */
  gdbPort?: number;
  /** `-S`: vCPUs wait for GDB's (or QMP's) continue. */
  stopAtStart?: boolean;
  /** `-qmp unix:<path>,server=on,wait=off`; the caller owns the (private) directory. */
  qmpSocketPath?: string;
}

/** The argument array (never a shell string). */
export function manualQemuArguments(options: ManualQemuOptions): string[] {
  const settings = effectiveSettings(options.profile, options.overrides);
  const profile = options.profile;
  return [
    ["-machine", [profile.machine, ...profile.machineOptions].join(",")],
    ["-accel", settings.accel],
    profile.cpuModel === undefined ? [] : ["-cpu", profile.cpuModel],
    ["-smp", String(settings.cpus)],
    ["-m", `${settings.memoryMiB}M`],
    ["-kernel", options.kernelPath],
    ["-append", settings.kernelCommandLine],
    ["-display", "none"],
    ["-serial", "null"], // the same UART as under the engine, its output dropped
    options.gdbPort === undefined ? [] : ["-gdb", `tcp:127.0.0.1:${options.gdbPort}`],
    options.stopAtStart ? ["-S"] : [],
    options.qmpSocketPath === undefined
      ? []
      : ["-qmp", `unix:${options.qmpSocketPath.replace(/,/g, ",,")},server=on,wait=off`],
    profile.devices.flatMap((device) => ["-device", device]),
    profile.extraArgs,
  ].flat();
}

export class ManualQemu {
  /** performance.now() just before spawning. */
  readonly startedAtMs: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderrText = "";
  private hasExited = false;

  private constructor(private readonly child: ChildProcess) {
    this.startedAtMs = performance.now();
    child.stderr!.on("data", (chunk: Buffer) => (this.stderrText += chunk.toString("utf8")));
    this.exited = new Promise((resolve) =>
      child.on("close", (code, signal) => {
        this.hasExited = true;
        resolve({ code, signal });
      }),
    );
    child.on("error", () => undefined); // reported through `exited` (code null) and stderr
  }

  static start(options: ManualQemuOptions): ManualQemu {
    if (!fs.existsSync(options.kernelPath)) throw new Error(`kernel image not found: ${options.kernelPath}`);
    const child = spawn(options.qemuPath ?? DEFAULT_QEMU_PATH, manualQemuArguments(options), {
      stdio: ["ignore", "ignore", "pipe"],
    });
    return new ManualQemu(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** SIGTERM, SIGKILL after a grace period; resolves once QEMU is gone. */
  async stop(): Promise<void> {
    if (this.hasExited) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_GRACE_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
