// arguments.ts - turns a profile, the launch overrides and the launcher's private paths into QEMU's argument
// array (never a shell string). Pure, so it is unit-tested directly. Pairs with qemu-instance.ts (which
// creates the paths and spawns QEMU) and ../profiles/profile.ts (the inputs).

import { IdlePolicy, LaunchOverrides, QemuProfile } from "../profiles/profile";
import { networkArguments, PortForwarding } from "../network/port-forwarding";

export const DEFAULT_IDLE_POLICY: IdlePolicy = "tickless";
/** isa-debug-exit at the port the kernel's qemu_exit() writes: QEMU exits with (code << 1) | 1. */
export const DEBUG_EXIT_DEVICE = "isa-debug-exit,iobase=0xf4,iosize=0x04";
export const RAM_BACKEND_ID = "toro-ram";
export const SERIAL_CHARDEV_ID = "toro-serial";

/** What the launcher decided for this run, next to the profile and overrides. */
export interface LaunchPaths {
  /** The file QEMU boots, per the profile's `boot`: boot.elf, kernel.elf or toro.iso (../launch/kernel-image.ts). */
  kernelPath: string;
  ramPath: string;
  qmpSocketPath: string;
  /** gdbstub TCP port on 127.0.0.1, or undefined for no gdbstub. */
  gdbPort?: number;
  /** `-S`: the vCPUs wait for `continue` (from GDB or QMP `cont`). */
  stopAtStart: boolean;
  /** User networking with this forwarded port (../network/port-forwarding.ts), or none. */
  network?: PortForwarding | null;
}

/** The settings a launch ends up with once overrides are applied to the profile. */
export interface EffectiveSettings {
  cpus: number;
  memoryMiB: number;
  accel: string;
  idlePolicy: IdlePolicy;
  kernelCommandLine: string;
}

export function effectiveSettings(profile: QemuProfile, overrides: LaunchOverrides = {}): EffectiveSettings {
  const idlePolicy = overrides.idlePolicy ?? DEFAULT_IDLE_POLICY;
  const extra = overrides.cmdline?.trim() ?? "";
  return {
    cpus: overrides.cpus ?? profile.cpus,
    memoryMiB: overrides.memoryMiB ?? profile.memoryMiB,
    accel: overrides.accel ?? profile.accel,
    idlePolicy,
    kernelCommandLine: extra === "" ? `idle=${idlePolicy}` : `idle=${idlePolicy} ${extra}`,
  };
}

/** QEMU's option parser splits on commas; a literal comma inside a value is written as two. */
export function escapeOptionValue(value: string): string {
  return value.replace(/,/g, ",,");
}

/**
 * How QEMU starts the kernel (profile.ts, BOOT_METHODS). With "uefi-iso" the command line is already in the
 * ISO's grub.cfg (built with it), so no -append.
 */
function bootArguments(profile: QemuProfile, bootFile: string, commandLine: string): string[] {
  const firmware = profile.firmware === undefined ? [] : ["-bios", profile.firmware];
  if (profile.boot === "uefi-iso") {
    const drive = `if=ide,index=2,media=cdrom,format=raw,readonly=on,file=${escapeOptionValue(bootFile)}`;
    return [...firmware, "-drive", drive];
  }
  return [...firmware, "-kernel", bootFile, "-append", commandLine];
}

export function buildQemuArguments(
  profile: QemuProfile,
  overrides: LaunchOverrides,
  paths: LaunchPaths,
): string[] {
  const settings = effectiveSettings(profile, overrides);
  const machine = [profile.machine, ...profile.machineOptions, `memory-backend=${RAM_BACKEND_ID}`].join(",");
  const ramBackend = [
    "memory-backend-file",
    `id=${RAM_BACKEND_ID}`,
    `size=${settings.memoryMiB}M`,
    `mem-path=${escapeOptionValue(paths.ramPath)}`,
    "share=on",
  ].join(",");

  const args: string[] = [
    ["-machine", machine],
    ["-accel", settings.accel],
    profile.cpuModel === undefined ? [] : ["-cpu", profile.cpuModel],
    ["-smp", String(settings.cpus)],
    ["-m", `${settings.memoryMiB}M`],
    ["-object", ramBackend],
    bootArguments(profile, paths.kernelPath, settings.kernelCommandLine),
    // Serial on QEMU's stdout (a pipe to us); signal=off so a stray ^C byte is guest input, not a kill.
    ["-chardev", `stdio,id=${SERIAL_CHARDEV_ID},signal=off`],
    ["-serial", `chardev:${SERIAL_CHARDEV_ID}`],
    ["-qmp", `unix:${escapeOptionValue(paths.qmpSocketPath)},server=on,wait=off`],
    ["-display", "none"],
    ["-monitor", "none"],
    // A triple fault is a reset request: make it a shutdown, and a shutdown a pause, so the VM stays
    // inspectable (QMP reports SHUTDOWN with reason guest-reset, then STOP). isa-debug-exit still exits.
    ["-no-reboot"],
    ["-action", "reboot=shutdown,shutdown=pause"],
    ["-device", DEBUG_EXIT_DEVICE],
    paths.gdbPort === undefined ? [] : ["-gdb", `tcp:127.0.0.1:${paths.gdbPort}`],
    paths.stopAtStart ? ["-S"] : [],
    profile.devices.flatMap((device) => ["-device", device]),
    paths.network ? networkArguments(paths.network) : [],
    profile.extraArgs,
    overrides.extraArgs ?? [],
  ].flat();
  return args;
}
