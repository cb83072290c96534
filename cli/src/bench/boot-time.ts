// boot-time.ts - benchmark part 3: boot time per QEMU profile, each profile booting the way it says (Multiboot 1,
// PVH or UEFI + ISO): from spawning QEMU to the kernel's `toro: ready` line (host clock), and from kernel entry
// to ready (the kernel's own `toro: kernel entry to ready N us` line, by the guest's TSC). A profile that needs
// KVM where /dev/kvm does not open gives a skipped row with the reason. Pairs with bench-command.ts (which
// boots each profile several times) and bench-report.ts (the table).

import {
  bootFileFor,
  BuildOutputs,
  checkAccelerator,
  GuestRun,
  parseEntryToReadyLine,
  QemuProfile,
  ToroError,
} from "@toro-studio/debug-adapter";

/** One profile's boots: milliseconds from QEMU's spawn to ready, microseconds from kernel entry to ready. */
export interface BootRow {
  profile: string;
  boot: QemuProfile["boot"];
  accel: string;
  qemuToReadyMs: number[];
  entryToReadyUs: number[];
  /** Why the profile was not booted (no usable /dev/kvm, a failed boot); absent when it was. */
  skipped?: string;
}

/** Null when the profile can be booted here, else the one-line reason it cannot. */
export function bootSkipReason(profile: QemuProfile): string | null {
  try {
    checkAccelerator(profile.accel);
    return null;
  } catch (error) {
    if (error instanceof ToroError) return error.message.split("\n")[0];
    throw error;
  }
}

/** Boots `image` once on `profile` and returns both boot times. */
export async function measureBoot(
  image: BuildOutputs,
  profile: QemuProfile,
): Promise<{ qemuToReadyMs: number; entryToReadyUs: number | null }> {
  const run = await GuestRun.start({ kernelPath: bootFileFor(image, profile.boot), profile });
  try {
    const ready = await run.waitForReady();
    const entry = run.qemu.serial.lines
      .map((line) => parseEntryToReadyLine(line.message))
      .find((value) => value !== null);
    return { qemuToReadyMs: ready.receivedAtMs - run.qemu.startedAtMs, entryToReadyUs: entry ?? null };
  } finally {
    await run.stop();
  }
}
