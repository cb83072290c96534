// launch-target.ts - boots a kernel image for debugging: QEMU from a profile with `-S` (vCPUs held at reset),
// the gdbstub on 127.0.0.1 at a free port, QMP on a unix socket and guest RAM in a shared file, all in one
// private 0700 directory (../qemu/qemu-instance.ts); GDB started at the same time with kernel.elf loaded;
// then `target remote`. Any failure stops whatever was started: nothing is left behind.
// Produces a DebugTarget (debug-target.ts). The build happened before (kernel-image.ts).

import { connectRemote, executeConsoleCommand, GdbClient, loadProgram, type GdbTraceEntry } from "../../gdb";
import type { LaunchOverrides, QemuProfile } from "../profiles/profile";
import { QemuExitedError } from "../qemu/errors";
import { QemuInstance } from "../qemu/qemu-instance";
import { TelemetryReader } from "../telemetry/telemetry-reader";
import { DebugTarget } from "./debug-target";
import type { KernelImage } from "./kernel-image";
import { ToroError } from "../errors";

export interface LaunchTargetOptions {
  image: KernelImage;
  profile: QemuProfile;
  overrides: LaunchOverrides;
  qemuPath?: string;
  gdbPath?: string;
  /** A fixed gdbstub port on 127.0.0.1; default a free one (retried once if taken before QEMU binds it). */
  gdbPort?: number;
  /** Where the private directory is created; default os.tmpdir(). */
  parentDirectory?: string;
  log?: (text: string) => void;
}

export class GdbstubPortInUseError extends ToroError {}

/** GDB gives up on a refused connection after this many seconds (its default is 15). */
const GDB_CONNECT_TIMEOUT_SECONDS = 3;
/** A free port can be taken by another program before QEMU binds it: that start is retried once. */
const START_ATTEMPTS = 2;

export async function startGdb(
  gdbPath: string | undefined,
  kernelElf: string,
  log?: (text: string) => void,
): Promise<GdbClient> {
  const onTrace =
    log === undefined ? undefined : (entry: GdbTraceEntry) => log(`gdb ${entry.direction} ${entry.text}`);
  const gdb = await GdbClient.start({ gdbPath, onTrace });
  try {
    await loadProgram(gdb, kernelElf);
    await executeConsoleCommand(gdb, `set tcp connect-timeout ${GDB_CONNECT_TIMEOUT_SECONDS}`);
  } catch (error) {
    await gdb.shutdown();
    throw error;
  }
  return gdb;
}

async function startQemu(options: LaunchTargetOptions): Promise<QemuInstance> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await QemuInstance.start({
        kernelPath: options.image.bootElf,
        profile: options.profile,
        overrides: options.overrides,
        qemuPath: options.qemuPath,
        gdbstub: true,
        gdbPort: options.gdbPort,
        stopAtStart: true,
        parentDirectory: options.parentDirectory,
      });
    } catch (error) {
      const portTaken = error instanceof QemuExitedError && /Address already in use/i.test(error.stderr);
      if (!portTaken) throw error;
      if (options.gdbPort !== undefined) {
        throw new GdbstubPortInUseError(
          `port ${options.gdbPort} on 127.0.0.1 is in use by another program, so QEMU cannot open its gdbstub there`,
          'Choose another "gdbPort", or leave it out to use a free port.',
        );
      }
      if (attempt >= START_ATTEMPTS) {
        throw new GdbstubPortInUseError(
          `QEMU could not open its gdbstub: the port on 127.0.0.1 it was given was taken by another program ` +
            `(tried ${attempt} free ports). QEMU said: ${error.stderr.trim()}`,
          "Try again; if it keeps happening, a program is grabbing local ports as they free up.",
        );
      }
      options.log?.(`gdbstub port taken before QEMU bound it; retrying with another port`);
    }
  }
}

export async function launchTarget(options: LaunchTargetOptions): Promise<DebugTarget> {
  const [qemuResult, gdbResult] = await Promise.allSettled([
    startQemu(options),
    startGdb(options.gdbPath, options.image.kernelElf, options.log),
  ]);
  const qemu = qemuResult.status === "fulfilled" ? qemuResult.value : undefined;
  const gdb = gdbResult.status === "fulfilled" ? gdbResult.value : undefined;
  const cleanUp = async () => {
    await gdb?.shutdown("disconnect");
    await qemu?.stop();
  };
  if (qemu === undefined || gdb === undefined) {
    await cleanUp();
    throw qemuResult.status === "rejected" ? qemuResult.reason : (gdbResult as PromiseRejectedResult).reason;
  }
  let telemetry: TelemetryReader | undefined;
  try {
    options.log?.(`qemu ${qemu.pid} ${qemu.qemuArguments.join(" ")}`);
    await connectRemote(gdb, "127.0.0.1", qemu.gdbPort!);
    telemetry = new TelemetryReader(options.image.kernelElf, qemu.ramPath);
    return new DebugTarget({
      origin: "launched",
      gdb,
      kernelElf: options.image.kernelElf,
      cpuCount: qemu.settings.cpus,
      gdbstub: { host: "127.0.0.1", port: qemu.gdbPort! },
      telemetrySource: telemetry,
      qemu,
      qmp: qemu.qmp,
      qemuPid: qemu.pid,
      log: options.log,
    });
  } catch (error) {
    telemetry?.close();
    await cleanUp();
    throw error;
  }
}
