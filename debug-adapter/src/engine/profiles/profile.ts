// profile.ts - the shape of a QEMU machine profile (qemu-profiles/*.json) and of the per-launch overrides,
// plus the limits both are checked against. Pairs with validate-profile.ts (checks raw JSON against this),
// load-profile.ts (finds and reads the files) and ../qemu/arguments.ts (turns a profile into QEMU arguments).

import { IDLE_POLICIES, IdlePolicy, MAX_CPUS } from "../telemetry/layout";
import type { NetworkOverride, NetworkSettings } from "../network/network-settings";

export const ACCELERATORS = ["tcg", "kvm"] as const;
export type Accelerator = (typeof ACCELERATORS)[number];

/**
 * How QEMU starts the kernel (kernel/README.md, "Boot protocols"):
 * - "multiboot": `-kernel boot.elf` (the ELF32 copy), QEMU's Multiboot 1 loader; q35 and pc.
 * - "pvh": `-kernel kernel.elf`, QEMU's PVH loader (Xen ELF note); q35, pc and microvm.
 * - "uefi-iso": `-bios <firmware> -cdrom toro.iso`: UEFI firmware (OVMF) runs GRUB, which loads the kernel
 *   through Multiboot 2; the kernel command line is baked into the ISO's grub.cfg at build time.
 */
export const BOOT_METHODS = ["multiboot", "pvh", "uefi-iso"] as const;
export type BootMethod = (typeof BOOT_METHODS)[number];
export const DEFAULT_BOOT_METHOD: BootMethod = "multiboot";
/** The Debian package that provides OVMF, named in the error when a profile's firmware file is missing. */
export const UEFI_FIRMWARE_PACKAGE = "ovmf";

export const MIN_MEMORY_MIB = 16;
/**
 * Above 2 GiB, q35 and pc map part of RAM above 4 GiB, so a RAM-file offset would no longer equal the
 * guest physical address the telemetry reader relies on.
 */
export const MAX_MEMORY_MIB = 2048;
export const MAX_PROFILE_CPUS = MAX_CPUS;

/** A profile as stored in qemu-profiles/<name>.json: data only, one QEMU argument per array item. */
export interface QemuProfile {
  /** The file's base name, e.g. "default" (not stored in the file). */
  name: string;
  description: string;
  /** QEMU machine type, e.g. "q35", "microvm". */
  machine: string;
  /** How QEMU starts the kernel; "multiboot" when the file leaves it out. */
  boot: BootMethod;
  /** `-bios <file>`, an absolute path (OVMF for "uefi-iso", where it is required); absent: QEMU's default. */
  firmware?: string;
  /** Extra `-machine` properties, each "key=value". */
  machineOptions: string[];
  accel: Accelerator;
  /** `-cpu` model; absent means QEMU's default for the accelerator. */
  cpuModel?: string;
  cpus: number;
  memoryMiB: number;
  /** Each becomes `-device <item>`. */
  devices: string[];
  /** Appended verbatim after everything else. */
  extraArgs: string[];
  /** User networking with a port forwarded from 127.0.0.1 (../network/network-settings.ts); absent: none. */
  network?: NetworkSettings;
}

/** What a launch may change on top of a profile (the CLI flags, later the DAP launch arguments). */
export interface LaunchOverrides {
  cpus?: number;
  memoryMiB?: number;
  accel?: Accelerator;
  idlePolicy?: IdlePolicy;
  /** Appended to the kernel command line after `idle=`, e.g. "test selftest=channels pollgrace=200". */
  cmdline?: string;
  extraArgs?: string[];
  /** Turns the profile's network on or off, or sets its ports (../network/network-settings.ts). */
  network?: NetworkOverride;
}

export { IDLE_POLICIES };
export type { IdlePolicy };

/**
 * QEMU options the launcher sets itself: a profile or an override that also set them would break the RAM
 * file, the serial capture, QMP, the gdbstub or the exit/pause behaviour. Compared after folding `--x` to `-x`.
 */
export const LAUNCHER_OWNED_OPTIONS: readonly string[] = [
  "-machine",
  "-M",
  "-accel",
  "-enable-kvm",
  "-smp",
  "-m",
  "-kernel",
  "-append",
  "-initrd",
  "-serial",
  "-qmp",
  "-qmp-pretty",
  "-monitor",
  "-mon",
  "-gdb",
  "-s",
  "-S",
  "-display",
  "-nographic",
  "-daemonize",
  "-no-reboot",
  "-no-shutdown",
  "-action",
  "-cpu",
  "-bios",
  "-cdrom",
];
