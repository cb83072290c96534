// iso.test.ts - `make -C kernel iso APP=...` builds a GRUB ISO that boots the same kernel from a CD-ROM
// (the path other hypervisors use), under real QEMU without `-kernel`: under SeaBIOS (BIOS) and under OVMF
// (UEFI, through the engine's uefi profile), GRUB loads it through Multiboot 2 and the kernel finds ACPI
// from the loader's RSDP and every core; under OVMF samples/http-server serves a page through virtio-net,
// whose 64-bit BAR the firmware put above 4 GiB. The apps are copies of the samples in a private directory,
// so the builds land there and are removed.

import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/engine/build/build-runner";
import { bootFileFor } from "../../src/engine/launch/kernel-image";
import { loadProfile } from "../../src/engine/profiles/load-profile";
import type { LaunchOverrides } from "../../src/engine/profiles/profile";
import { effectiveSettings } from "../../src/engine/qemu/arguments";
import { FirmwareNotFoundError } from "../../src/engine/qemu/qemu-instance";
import { startHttpServerGuest } from "../../src/engine/network/http-server-guest";
import { GuestRun } from "../../src/engine/run/guest-run";
import { expectNothingLeft } from "../helpers/cleanup";
import {
  kernelDirectory,
  makeScratch,
  profilesDirectory,
  removeScratch,
  samplesDirectory,
} from "../helpers/paths";
import { isAlive } from "../helpers/processes";

const BOOT_TIMEOUT_MS = 90_000;
let scratch: string;
/** Where the engine's QEMU runs keep their private directories: empty after each test. */
let runsDirectory: string;

function copySample(name: string): string {
  const app = path.join(scratch, name);
  if (!fs.existsSync(app)) {
    fs.cpSync(path.join(samplesDirectory, name), app, {
      recursive: true,
      filter: (source) => path.basename(source) !== "build",
    });
  }
  return app;
}

const copyHello = () => copySample("hello");

/**
 * Builds a copy of a sample as the uefi profile's ISO (the ISO carries the kernel command line, so it is built
 * per set of overrides) and returns what GuestRun.start needs to boot it.
 */
async function buildForUefi(sample: string, overrides: LaunchOverrides) {
  const profile = loadProfile("uefi", profilesDirectory);
  const commandLine = effectiveSettings(profile, overrides).kernelCommandLine;
  const build = await buildApp({
    appDirectory: copySample(sample),
    kernelDirectory,
    isoCommandLine: commandLine,
  });
  expect(build.success, build.output.slice(-2000)).toBe(true);
  return {
    commandLine,
    options: {
      kernelPath: bootFileFor(build, profile.boot),
      kernelElfPath: build.kernelElf,
      profile,
      overrides,
      parentDirectory: runsDirectory,
    },
  };
}

/** One GET over a fresh connection: status and body. */
function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: 20_000 }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("timeout", () => request.destroy(new Error(`no answer from ${url} in 20 s`)));
    request.on("error", reject);
  });
}

beforeAll(() => {
  scratch = makeScratch("iso");
  runsDirectory = makeScratch("iso-runs");
});

afterAll(() => {
  removeScratch(scratch);
  removeScratch(runsDirectory);
});

describe("bootable ISO", () => {
  it("builds toro.iso with GRUB and boots it to the ready line with the kernel command line", async () => {
    const app = copyHello();
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
      expect(output).toContain('toro: booting (multiboot2), command line "idle=halt"');
      expect(output).toMatch(/acpi: RSDP at 0x[0-9a-f]+ \(from the loader\)/);
    } finally {
      qemu.kill("SIGKILL");
      await new Promise((resolve) => (qemu.exitCode === null ? qemu.once("exit", resolve) : resolve(null)));
    }
    expect(isAlive(qemu.pid)).toBe(false);
  });

  it(
    "boots under UEFI (OVMF) through the uefi profile: ACPI from GRUB's RSDP, every core, RAM-file telemetry",
    async () => {
      const { commandLine, options } = await buildForUefi("hello", { cmdline: "exit" });
      const run = await GuestRun.start(options);
      try {
        const ready = await run.waitForReady(BOOT_TIMEOUT_MS);
        const lines = run.qemu.serial.lines.map((line) => line.message);
        expect(ready.message).toBe("toro: ready cores=4 idle=tickless");
        expect(lines).toContain(`toro: booting (multiboot2), command line "${commandLine}"`);
        expect(lines.join("\n")).toMatch(/acpi: RSDP at 0x[0-9a-f]+ \(from the loader\), revision 2/);
        const { sample, unreadable } = await run.poller!.pollNow();
        if (sample === null) throw new Error(`telemetry unreadable: ${unreadable}`);
        expect(sample.snapshot.global.coresOnline).toBe(4);
        expect((await run.qemu.exited).guestExitCode).toBe(0);
      } finally {
        await run.stop();
      }
      expectNothingLeft(runsDirectory, [run.qemu.pid]);
    },
    BOOT_TIMEOUT_MS + 60_000,
  );

  it(
    "serves HTTP under UEFI: virtio-net's registers in OVMF's 64-bit BAR above 4 GiB are mapped",
    async () => {
      const { options } = await buildForUefi("http-server", { network: { enabled: true } });
      const guest = await startHttpServerGuest(options);
      try {
        const lines = guest.run.qemu.serial.lines.map((line) => line.message);
        const device = lines.find((line) => line.startsWith("virtio-net: "));
        const registers = /registers at (0x[0-9a-f]+)$/.exec(device ?? "");
        expect(registers, `virtio-net line: ${device}`).not.toBeNull();
        expect(BigInt(registers![1])).toBeGreaterThanOrEqual(1n << 32n);
        const page = await httpGet(`http://127.0.0.1:${guest.network.hostPort}/`);
        expect(page.status).toBe(200);
        expect(page.body).toContain("Toro http-server");
      } finally {
        await guest.run.stop();
      }
      expectNothingLeft(runsDirectory, [guest.run.qemu.pid]);
    },
    BOOT_TIMEOUT_MS + 60_000,
  );

  it("a profile whose firmware file is missing fails in one line naming the ovmf package, starting nothing", async () => {
    const image = path.join(scratch, "any.iso");
    fs.writeFileSync(image, "");
    const profile = {
      ...loadProfile("uefi", profilesDirectory),
      firmware: path.join(scratch, "absent", "OVMF.fd"),
    };
    const start = GuestRun.start({ kernelPath: image, profile, parentDirectory: runsDirectory });
    await expect(start).rejects.toThrow(FirmwareNotFoundError);
    await expect(start).rejects.toThrow(
      /^firmware not found: \/.*\/absent\/OVMF\.fd \(profile "uefi"\); install the Debian package ovmf: sudo apt-get install -y ovmf$/,
    );
    expectNothingLeft(runsDirectory, []);
  });
});
