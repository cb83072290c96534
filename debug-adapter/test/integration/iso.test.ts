// iso.test.ts - `make -C kernel iso APP=...` builds a GRUB ISO that boots the same kernel from a CD-ROM
// (the path other hypervisors use), under real QEMU without `-kernel`: the boot line must appear.
// The app is a copy of samples/hello in a private directory, so the build lands there and is removed.

import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelDirectory, makeScratch, removeScratch, samplesDirectory } from "../helpers/paths";
import { isAlive } from "../helpers/processes";

const BOOT_TIMEOUT_MS = 90_000;
let scratch: string;

beforeAll(() => {
  scratch = makeScratch("iso");
});

afterAll(() => {
  removeScratch(scratch);
});

describe("bootable ISO", () => {
  it("builds toro.iso with GRUB and boots it to the ready line with the kernel command line", async () => {
    const app = path.join(scratch, "hello");
    fs.cpSync(path.join(samplesDirectory, "hello"), app, {
      recursive: true,
      filter: (source) => path.basename(source) !== "build",
    });
    const make = spawnSync("make", ["-C", kernelDirectory, "iso", `APP=${app}`, "CMDLINE=idle=halt"], {
      encoding: "utf8",
    });
    expect(make.status, make.stderr).toBe(0);
    const iso = path.join(app, "build", "toro.iso");
    expect(fs.statSync(iso).size).toBeGreaterThan(1024 * 1024);

    const qemu = spawn(
      "qemu-system-x86_64",
      ["-M", "q35", "-accel", "tcg", "-smp", "2", "-m", "128M", "-nodefaults", "-display", "none"].concat([
        "-cdrom",
        iso,
        "-boot",
        "d",
        "-serial",
        "stdio",
        "-no-reboot",
      ]),
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    try {
      const readyLine = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ready line; serial:\n${output}`)),
          BOOT_TIMEOUT_MS,
        );
        qemu.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString("utf8");
          const match = /toro: ready cores=\d+ idle=\w+(?=\r?\n)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        });
        qemu.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`QEMU exited (${code}) before the ready line; serial:\n${output}`));
        });
      });
      expect(readyLine).toBe("toro: ready cores=2 idle=halt");
    } finally {
      qemu.kill("SIGKILL");
      await new Promise((resolve) => (qemu.exitCode === null ? qemu.once("exit", resolve) : resolve(null)));
    }
    expect(isAlive(qemu.pid)).toBe(false);
  });
});
