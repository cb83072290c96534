// toolchain-requirements.test.ts - the toolchain check (src/toolchain/toolchain-requirements.ts): lookup on
// PATH or by path, the toolchain prefix, and the exact install command for what is missing.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TOOLCHAIN_SETTINGS,
  checkToolchain,
  installCommand,
  missingToolsMessage,
} from "../../src/toolchain/toolchain-requirements";

const installed = new Set([
  "/usr/bin/gcc",
  "/usr/bin/ld",
  "/usr/bin/objcopy",
  "/usr/bin/objdump",
  "/usr/bin/nm",
  "/usr/bin/make",
  "/opt/qemu/qemu-system-x86_64",
]);
const isExecutable = (file: string) => installed.has(file);

describe("checkToolchain", () => {
  it("reports what is missing with the exact apt-get command and the setting to change", () => {
    const report = checkToolchain(DEFAULT_TOOLCHAIN_SETTINGS, "/usr/bin", isExecutable);
    expect(report.missing.map((tool) => tool.command)).toEqual(["qemu-system-x86_64", "gdb"]);
    expect(installCommand(report.missing)).toBe("sudo apt-get install -y qemu-system-x86 gdb");
    const message = missingToolsMessage(report.missing);
    expect(message).toContain("sudo apt-get install -y qemu-system-x86 gdb");
    expect(message).toContain("toro.qemuPath / toro.gdbPath");
  });

  it("follows toro.qemuPath and toro.toolchainPrefix", () => {
    const settings = {
      qemuPath: "/opt/qemu/qemu-system-x86_64",
      gdbPath: "gdb",
      toolchainPrefix: "x86_64-elf-",
    };
    const report = checkToolchain(settings, "/usr/bin", isExecutable);
    expect(report.found.map((found) => found.path)).toEqual([
      "/opt/qemu/qemu-system-x86_64",
      "/usr/bin/make",
    ]);
    expect(report.missing.map((tool) => tool.command)).toEqual([
      "gdb",
      "x86_64-elf-gcc",
      "x86_64-elf-ld",
      "x86_64-elf-objcopy",
      "x86_64-elf-objdump",
      "x86_64-elf-nm",
    ]);
    expect(installCommand(report.missing)).toBe("sudo apt-get install -y gdb gcc binutils");
  });
});
