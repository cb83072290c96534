// accelerator-check.ts - before QEMU starts: a profile or launch that asks for KVM gets a one-line error
// naming the cause (no /dev/kvm, or no access to it) and what to do, instead of QEMU's own message after
// a private directory and a RAM file were made. Pairs with qemu-instance.ts (the only caller).

import * as fs from "node:fs";
import { ToroError } from "../errors";

export const KVM_DEVICE_PATH = "/dev/kvm";

export class KvmUnavailableError extends ToroError {
  constructor(
    readonly devicePath: string,
    readonly reason: "missing" | "no-access" | "other",
    detail: string,
  ) {
    super(...kvmProblem(devicePath, reason, detail));
  }
}

/** The message and the hint for each reason /dev/kvm cannot be used. Pure. */
export function kvmProblem(
  devicePath: string,
  reason: KvmUnavailableError["reason"],
  detail: string,
): [string, string] {
  const tcg = `or run under TCG: "accel": "tcg" in the launch configuration, or a TCG profile such as "default"`;
  switch (reason) {
    case "missing":
      return [
        `KVM was asked for (accel "kvm") but ${devicePath} does not exist`,
        `Enable VT-x/AMD-V in the firmware and load the module (sudo modprobe kvm_intel or kvm_amd), ${tcg}.`,
      ];
    case "no-access":
      return [
        `KVM was asked for (accel "kvm") but ${devicePath} is not readable and writable by this user`,
        `Add yourself to its group (sudo usermod -aG kvm "$USER", then log in again), ${tcg}.`,
      ];
    default:
      return [
        `KVM was asked for (accel "kvm") but ${devicePath} cannot be opened: ${detail}`,
        `Check ${devicePath}, ${tcg}.`,
      ];
  }
}

/** Throws KvmUnavailableError when `accel` is "kvm" and the device cannot be opened for reading and writing. */
export function checkAccelerator(accel: string, devicePath = KVM_DEVICE_PATH): void {
  if (accel !== "kvm") return;
  let descriptor: number | undefined;
  try {
    descriptor = fs.openSync(devicePath, fs.constants.O_RDWR);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "missing" : code === "EACCES" || code === "EPERM" ? "no-access" : "other";
    throw new KvmUnavailableError(devicePath, reason, (error as Error).message);
  } finally {
    if (descriptor !== undefined) fs.closeSync(descriptor);
  }
}
