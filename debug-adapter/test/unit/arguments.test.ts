// arguments.test.ts - the QEMU argument builder: profile + overrides + the launcher's private paths become
// one argument array with the RAM file, serial capture, QMP, debug-exit, pause-on-triple-fault and gdbstub.

import { describe, expect, it } from "vitest";
import { buildQemuArguments, effectiveSettings, escapeOptionValue } from "../../src/engine/qemu/arguments";
import { QemuProfile } from "../../src/engine/profiles/profile";

const profile: QemuProfile = {
  name: "test",
  description: "test",
  machine: "q35",
  boot: "multiboot",
  machineOptions: ["smm=off"],
  accel: "tcg",
  cpus: 4,
  memoryMiB: 128,
  devices: ["virtio-rng-pci"],
  extraArgs: ["-nodefaults"],
};
const paths = {
  kernelPath: "/apps/hello/build/boot.elf",
  ramPath: "/tmp/toro-qemu-x/guest-ram",
  qmpSocketPath: "/tmp/toro-qemu-x/qmp.sock",
  stopAtStart: false,
};

/** The value following `option` (every occurrence). */
function valuesOf(args: string[], option: string): string[] {
  return args.flatMap((arg, index) => (arg === option ? [args[index + 1]] : []));
}

describe("buildQemuArguments", () => {
  it("builds the profile's machine with the shared RAM file and the launcher's fixed options", () => {
    const args = buildQemuArguments(profile, {}, paths);
    expect(valuesOf(args, "-machine")).toEqual(["q35,smm=off,memory-backend=toro-ram"]);
    expect(valuesOf(args, "-accel")).toEqual(["tcg"]);
    expect(valuesOf(args, "-smp")).toEqual(["4"]);
    expect(valuesOf(args, "-m")).toEqual(["128M"]);
    expect(valuesOf(args, "-object")).toEqual([
      "memory-backend-file,id=toro-ram,size=128M,mem-path=/tmp/toro-qemu-x/guest-ram,share=on",
    ]);
    expect(valuesOf(args, "-kernel")).toEqual(["/apps/hello/build/boot.elf"]);
    expect(valuesOf(args, "-append")).toEqual(["idle=tickless"]);
    expect(valuesOf(args, "-qmp")).toEqual(["unix:/tmp/toro-qemu-x/qmp.sock,server=on,wait=off"]);
    expect(valuesOf(args, "-serial")).toEqual(["chardev:toro-serial"]);
    expect(valuesOf(args, "-display")).toEqual(["none"]);
    expect(valuesOf(args, "-action")).toEqual(["reboot=shutdown,shutdown=pause"]);
    expect(args).toContain("-no-reboot");
    expect(valuesOf(args, "-device")).toEqual(["isa-debug-exit,iobase=0xf4,iosize=0x04", "virtio-rng-pci"]);
    expect(args).not.toContain("-S");
    expect(args).not.toContain("-gdb");
    expect(args).not.toContain("-cpu");
    expect(args[args.length - 1]).toBe("-nodefaults");
  });

  it("applies overrides: cpus, memory, accel, idle policy, command line and extra args last", () => {
    const args = buildQemuArguments(
      { ...profile, cpuModel: "host" },
      {
        cpus: 1,
        memoryMiB: 256,
        accel: "kvm",
        idlePolicy: "busy",
        cmdline: " test selftest=panic ",
        extraArgs: ["-d", "int"],
      },
      paths,
    );
    expect(valuesOf(args, "-smp")).toEqual(["1"]);
    expect(valuesOf(args, "-m")).toEqual(["256M"]);
    expect(valuesOf(args, "-object")[0]).toContain("size=256M");
    expect(valuesOf(args, "-accel")).toEqual(["kvm"]);
    expect(valuesOf(args, "-cpu")).toEqual(["host"]);
    expect(valuesOf(args, "-append")).toEqual(["idle=busy test selftest=panic"]);
    expect(args.slice(-2)).toEqual(["-d", "int"]);
  });

  it("adds the gdbstub on 127.0.0.1 and -S when asked", () => {
    const args = buildQemuArguments(profile, {}, { ...paths, gdbPort: 40123, stopAtStart: true });
    expect(valuesOf(args, "-gdb")).toEqual(["tcp:127.0.0.1:40123"]);
    expect(args).toContain("-S");
  });

  it("escapes commas in paths inside option values, but not in separate arguments", () => {
    const args = buildQemuArguments(
      profile,
      {},
      {
        ...paths,
        kernelPath: "/a,b/boot.elf",
        ramPath: "/tmp/x,y/guest-ram",
        qmpSocketPath: "/tmp/x,y/qmp.sock",
      },
    );
    expect(valuesOf(args, "-object")[0]).toContain("mem-path=/tmp/x,,y/guest-ram,share=on");
    expect(valuesOf(args, "-qmp")).toEqual(["unix:/tmp/x,,y/qmp.sock,server=on,wait=off"]);
    expect(valuesOf(args, "-kernel")).toEqual(["/a,b/boot.elf"]);
    expect(escapeOptionValue("a,,b")).toBe("a,,,,b");
  });
});

describe("buildQemuArguments: how QEMU boots the kernel (profile.boot)", () => {
  it("pvh hands QEMU the given file with -kernel and the command line, like multiboot", () => {
    const args = buildQemuArguments(
      { ...profile, machine: "microvm", boot: "pvh" },
      { cmdline: "test" },
      { ...paths, kernelPath: "/apps/hello/build/kernel.elf" },
    );
    expect(valuesOf(args, "-kernel")).toEqual(["/apps/hello/build/kernel.elf"]);
    expect(valuesOf(args, "-append")).toEqual(["idle=tickless test"]);
    expect(args).not.toContain("-bios");
  });

  it("uefi-iso boots the ISO as a CD-ROM behind the profile's firmware, without -kernel or -append", () => {
    const args = buildQemuArguments(
      { ...profile, boot: "uefi-iso", firmware: "/usr/share/ovmf/OVMF.fd" },
      { cmdline: "test" },
      { ...paths, kernelPath: "/a,b/build/toro.iso" },
    );
    expect(valuesOf(args, "-bios")).toEqual(["/usr/share/ovmf/OVMF.fd"]);
    expect(valuesOf(args, "-drive")).toEqual([
      "if=ide,index=2,media=cdrom,format=raw,readonly=on,file=/a,,b/build/toro.iso",
    ]);
    expect(args).not.toContain("-kernel");
    expect(args).not.toContain("-append");
    // The rest of the launcher's contract is the same: RAM file, QMP, serial.
    expect(valuesOf(args, "-machine")).toEqual(["q35,smm=off,memory-backend=toro-ram"]);
    expect(valuesOf(args, "-serial")).toEqual(["chardev:toro-serial"]);
  });
});

describe("effectiveSettings", () => {
  it("defaults the idle policy to tickless and keeps the profile's values", () => {
    expect(effectiveSettings(profile)).toEqual({
      cpus: 4,
      memoryMiB: 128,
      accel: "tcg",
      idlePolicy: "tickless",
      kernelCommandLine: "idle=tickless",
    });
  });
});
