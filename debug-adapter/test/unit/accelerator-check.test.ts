// accelerator-check.test.ts - the KVM preflight: TCG never looks at the device, a missing or unopenable
// device gives the one-line error with its hint, an openable one passes.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadProfile } from "../../src/engine/profiles/load-profile";
import { checkAccelerator, kvmProblem, KvmUnavailableError } from "../../src/engine/qemu/accelerator-check";
import { QemuInstance } from "../../src/engine/qemu/qemu-instance";
import { profilesDirectory } from "../helpers/paths";

describe("checkAccelerator", () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "toro-kvm-check-"));
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  it("ignores the device under TCG", () => {
    expect(() => checkAccelerator("tcg", path.join(directory, "absent"))).not.toThrow();
  });

  it("names a missing device and how to get one", () => {
    const absent = path.join(directory, "absent");
    let caught: unknown;
    try {
      checkAccelerator("kvm", absent);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KvmUnavailableError);
    const error = caught as KvmUnavailableError;
    expect(error.reason).toBe("missing");
    expect(error.message.split("\n")[0]).toBe(`KVM was asked for (accel "kvm") but ${absent} does not exist`);
    expect(error.hint).toMatch(/modprobe kvm_intel or kvm_amd/);
    expect(error.hint).toMatch(/"accel": "tcg"/);
  });

  it("passes a device it can open read-write", () => {
    fs.mkdirSync(directory, { recursive: true });
    const device = path.join(directory, "kvm");
    fs.writeFileSync(device, "");
    expect(() => checkAccelerator("kvm", device)).not.toThrow();
  });

  it("reports a device that is not a file it can open", () => {
    fs.mkdirSync(directory, { recursive: true });
    expect(() => checkAccelerator("kvm", directory)).toThrow(/cannot be opened: EISDIR/);
  });

  it("tells a user without access to join the kvm group", () => {
    const [message, hint] = kvmProblem("/dev/kvm", "no-access", "EACCES");
    expect(message).toBe(
      `KVM was asked for (accel "kvm") but /dev/kvm is not readable and writable by this user`,
    );
    expect(hint).toMatch(/usermod -aG kvm/);
  });
});

describe("the kvm profile on a machine without /dev/kvm", () => {
  it.skipIf(fs.existsSync("/dev/kvm"))("refuses to start QEMU and leaves no folder behind", async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "toro-kvm-launch-"));
    const kernel = path.join(parent, "boot.elf");
    fs.writeFileSync(kernel, "not started");
    try {
      await expect(
        QemuInstance.start({
          kernelPath: kernel,
          profile: loadProfile("kvm", profilesDirectory),
          parentDirectory: parent,
        }),
      ).rejects.toThrow(/KVM was asked for \(accel "kvm"\) but \/dev\/kvm does not exist/);
      expect(fs.readdirSync(parent)).toEqual(["boot.elf"]);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
