// launch-target.ts - boots a kernel image for debugging: QEMU from a profile with `-S` (vCPUs held at reset),
// the gdbstub on 127.0.0.1 at a free port QEMU picks, QMP on a unix socket and guest RAM in a shared file, all in one
// private 0700 directory (../qemu/qemu-instance.ts); GDB started at the same time, while the image is still
// being built (debugger-start.ts; or a spare GDB started before the launch, spare-gdb.ts), and QEMU too when an image is already on disk (qemu-for-image.ts); then
// kernel.elf and the panic breakpoint into GDB and `target remote`. Any failure stops whatever was
// started: nothing is left behind. Produces a DebugTarget (debug-target.ts).

import { performance } from "node:perf_hooks";
import { connectRemote, type GdbClient } from "../../gdb";
import type { LaunchOverrides, QemuProfile } from "../profiles/profile";
import { QemuExitedError } from "../qemu/errors";
import { QemuInstance } from "../qemu/qemu-instance";
import { GuestRun } from "../run/guest-run";
import { DebugTarget } from "./debug-target";
import { loadKernel, startGdb, type LoadedDebugger } from "./debugger-start";
import { RunAwareClock } from "./run-aware-clock";
import { startQemuForImage, type ImagePreparation } from "./qemu-for-image";
import { ToroError } from "../errors";

export interface LaunchTargetOptions {
  /** The image, prepared (built) while QEMU and GDB start; GDB is spawned first, as it takes longest. */
  image: ImagePreparation;
  profile: QemuProfile;
  overrides: LaunchOverrides;
  qemuPath?: string;
  gdbPath?: string;
  /** A fixed gdbstub port on 127.0.0.1; default a free one that QEMU picks. */
  gdbPort?: number;
  /** Where the private directory is created; default os.tmpdir(). */
  parentDirectory?: string;
  /**
   * Called once GDB has the kernel loaded, possibly before QEMU is up: breakpoints may be inserted from then
   * on (GDB puts them into QEMU at the first resume). If the launch then fails, that GDB is shut down.
   */
  onDebuggerLoaded?: (gdb: GdbClient) => void;
  /** A GDB started ahead of the launch (spare-gdb.ts), used instead of starting one; undefined: start one. */
  startedGdb?: Promise<GdbClient>;
  log?: (text: string) => void;
}

export class GdbstubPortInUseError extends ToroError {}

async function startQemu(options: LaunchTargetOptions, bootElf: string): Promise<QemuInstance> {
  try {
    return await QemuInstance.start({
      kernelPath: bootElf,
      profile: options.profile,
      overrides: options.overrides,
      qemuPath: options.qemuPath,
      gdbstub: true,
      gdbPort: options.gdbPort, // undefined: QEMU binds a free port itself
      stopAtStart: true,
      parentDirectory: options.parentDirectory,
    });
  } catch (error) {
    const portTaken = error instanceof QemuExitedError && /Address already in use/i.test(error.stderr);
    if (!portTaken || options.gdbPort === undefined) throw error; // e.g. a forwarded network port
    throw new GdbstubPortInUseError(
      `port ${options.gdbPort} on 127.0.0.1 is in use by another program, so QEMU cannot open its gdbstub there`,
      'Choose another "gdbPort", or leave it out to use a free port.',
    );
  }
}

export async function launchTarget(options: LaunchTargetOptions): Promise<DebugTarget> {
  const log = options.log;
  log?.("launch: starting GDB and QEMU while the image is prepared");
  const gdbStarting = options.startedGdb ?? startGdb(options.gdbPath, log);
  const { image, qemu: qemuStarting } = startQemuForImage(
    options.image,
    (bootElf) => startQemu(options, bootElf),
    log,
  );
  const debuggerLoading = (async (): Promise<LoadedDebugger> => {
    const gdb = await gdbStarting;
    const built = await image.catch(async (error: unknown) => {
      await gdb.shutdown();
      throw error;
    });
    return loadKernel(gdb, built.kernelElf, () => {
      log?.("launch: GDB has the kernel loaded");
      options.onDebuggerLoaded?.(gdb);
    });
  })();
  const [started, loaded] = await Promise.allSettled([qemuStarting, debuggerLoading]);
  if (started.status === "rejected" || loaded.status === "rejected") {
    // Whatever did start is stopped; the build's own failure (carried by both) or QEMU's comes first.
    if (loaded.status === "fulfilled") await loaded.value.gdb.shutdown();
    if (started.status === "fulfilled") await started.value.stop();
    throw started.status === "rejected" ? started.reason : (loaded as PromiseRejectedResult).reason;
  }
  const qemu = started.value;
  const spawnedMsAgo = (performance.now() - qemu.startedAtMs).toFixed(1);
  log?.(
    `launch: QEMU and GDB ready (QEMU spawned ${spawnedMsAgo} ms ago); qemu ${qemu.pid} ${qemu.qemuArguments.join(" ")}`,
  );
  return connect(options, qemu, loaded.value, (await image).kernelElf);
}

/** `target remote` to the gdbstub; the GuestRun (telemetry reader and stream) is made while GDB connects. */
async function connect(
  options: LaunchTargetOptions,
  qemu: QemuInstance,
  { gdb, panicBreakpoint }: LoadedDebugger,
  kernelElf: string,
): Promise<DebugTarget> {
  let run: GuestRun | undefined;
  try {
    const connecting = connectRemote(gdb, "127.0.0.1", qemu.gdbPort!);
    connecting.catch(() => undefined); // awaited below, after the run is made
    const clock = new RunAwareClock();
    run = GuestRun.adopt(qemu, { kernelElfPath: kernelElf, clock });
    await connecting;
    options.log?.("launch: GDB connected");
    return new DebugTarget({
      origin: "launched",
      gdb,
      kernelElf,
      cpuCount: qemu.settings.cpus,
      gdbstub: { host: "127.0.0.1", port: qemu.gdbPort! },
      run,
      clock,
      qmp: qemu.qmp,
      panicBreakpoint,
      log: options.log,
    });
  } catch (error) {
    await gdb.shutdown("disconnect");
    if (run === undefined) await qemu.stop();
    else await run.stop();
    throw error;
  }
}
