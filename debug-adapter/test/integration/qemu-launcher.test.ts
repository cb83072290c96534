// qemu-launcher.test.ts - the QEMU launcher against real QEMU with a tiny multiboot fixture kernel: private
// directory and RAM file (modes, contents at physical addresses), serial capture, isa-debug-exit status,
// triple fault paused, gdbstub with -S, typed errors; and after every test nothing is left behind.

import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadProfile } from "../../src/engine/profiles/load-profile";
import { QemuProfile } from "../../src/engine/profiles/profile";
import { QemuExitedError, QemuNotFoundError } from "../../src/engine/qemu/errors";
import { KernelImageNotFoundError, QemuInstance } from "../../src/engine/qemu/qemu-instance";
import { RamFileSource } from "../../src/engine/telemetry/telemetry-reader";
import { expectNothingLeft } from "../helpers/cleanup";
import { buildFixtureKernel, FixtureKernel } from "../helpers/fixture-kernel";
import { makeScratch, profilesDirectory, removeScratch } from "../helpers/paths";

let scratch: string;
let parentDirectory: string;
let fixture: FixtureKernel;
let profile: QemuProfile;
const started: QemuInstance[] = [];

async function start(mode: string, options: Partial<Parameters<typeof QemuInstance.start>[0]> = {}) {
  const instance = await QemuInstance.start({
    kernelPath: fixture.path,
    profile,
    overrides: { cmdline: `@${mode}` },
    parentDirectory,
    ...options,
  });
  started.push(instance);
  return instance;
}

beforeAll(() => {
  scratch = makeScratch("launcher");
  parentDirectory = path.join(scratch, "launches");
  fs.mkdirSync(parentDirectory);
  fixture = buildFixtureKernel(scratch);
  profile = { ...loadProfile("default", profilesDirectory), cpus: 1 };
});
afterEach(async () => {
  await Promise.all(started.map((instance) => instance.stop()));
  expectNothingLeft(
    parentDirectory,
    started.map((instance) => instance.pid),
  );
  started.length = 0;
});
afterAll(() => removeScratch(scratch));

describe("QemuInstance with the fixture kernel", () => {
  it("keeps its files private, shares guest RAM at physical addresses, and cleans up on stop()", async () => {
    const qemu = await start("h");
    await qemu.serial.waitForLine(/^fixture: ready$/, { timeoutMs: 30_000 });
    expect(fs.statSync(qemu.directory).mode & 0o777).toBe(0o700);
    expect(fs.statSync(qemu.ramPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(qemu.ramPath).size).toBe(128 * 1024 * 1024);
    expect(fs.statSync(qemu.qmpSocketPath).isSocket()).toBe(true);
    expect(path.dirname(qemu.directory)).toBe(parentDirectory);

    const ram = new RamFileSource(qemu.ramPath);
    expect(ram.readPhysical(fixture.messageAddress, 14).toString("latin1")).toBe("fixture: ready");
    expect(ram.readPhysical(128 * 1024 * 1024 - 4, 16).length).toBe(4); // the file ends with guest RAM
    ram.close();

    await expect(qemu.qmp.execute("query-status")).resolves.toMatchObject({
      running: true,
      status: "running",
    });
    const exit = await qemu.stop();
    expect(exit.guestExitCode).toBeNull(); // asked to quit: not a guest exit
    expect(fs.existsSync(qemu.directory)).toBe(false);
    await expect(qemu.stop()).resolves.toBe(exit); // idempotent
  });

  it("reports the guest's isa-debug-exit code and removes everything when QEMU exits on its own", async () => {
    const qemu = await start("e");
    const exit = await qemu.exited;
    expect(exit).toMatchObject({ exitCode: 11, guestExitCode: 5, signal: null });
    expect(qemu.serial.lines.map((line) => line.text)).toContain("fixture: ready");
    expect(fs.existsSync(qemu.directory)).toBe(false);
    await expect(qemu.serial.waitForLine(/never/, { timeoutMs: 1000 })).rejects.toBeInstanceOf(
      QemuExitedError,
    );
  });

  it("keeps a triple-faulted VM paused for inspection instead of rebooting", async () => {
    const qemu = await start("t");
    const shutdown = new Promise((resolve) =>
      qemu.qmp.onEvent((event) => event.event === "SHUTDOWN" && resolve(event)),
    );
    await expect(shutdown).resolves.toMatchObject({ data: { guest: true, reason: "guest-reset" } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(qemu.hasExited).toBe(false);
    expect(qemu.shutdownReason).toBe("guest-reset");
    await expect(qemu.qmp.execute("query-status")).resolves.toMatchObject({ running: false });
    expect(qemu.serial.lines.filter((line) => line.text === "fixture: ready")).toHaveLength(1); // no reboot
  });

  it("opens the gdbstub on 127.0.0.1 and holds the vCPUs with -S until continued", async () => {
    const qemu = await start("h", { gdbstub: true, stopAtStart: true });
    // QEMU binds a free port itself (port 0); the launcher learns which from QMP.
    expect(qemu.qemuArguments).toEqual(expect.arrayContaining(["-S", "-gdb", "tcp:127.0.0.1:0"]));
    expect(qemu.gdbPort).toBeGreaterThan(0);
    await expect(qemu.qmp.execute("query-status")).resolves.toMatchObject({
      running: false,
      status: "prelaunch",
    });
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const connection = net.createConnection({ host: "127.0.0.1", port: qemu.gdbPort! }, () =>
        resolve(connection),
      );
      connection.on("error", reject);
    });
    // QEMU pauses the VM when it accepts a gdb client, and the TCP handshake completes before QEMU's
    // main loop accepts: wait for the stub's answer to `?` so the pause cannot land after our `cont`.
    await new Promise<void>((resolve) => {
      socket.on("data", (data: Buffer) => {
        if (data.includes("$")) resolve();
      });
      socket.write("$?#3f");
    });
    socket.destroy();
    expect(qemu.serial.lines).toHaveLength(0);
    await qemu.qmp.execute("cont");
    await qemu.serial.waitForLine(/^fixture: ready$/, { timeoutMs: 30_000 });
  });
});

describe("QemuInstance errors", () => {
  it("throws QemuNotFoundError with the install command when QEMU is missing", async () => {
    const attempt = start("h", { qemuPath: path.join(scratch, "no-such-qemu") });
    await expect(attempt).rejects.toBeInstanceOf(QemuNotFoundError);
    await expect(attempt).rejects.toThrow(/apt-get install -y qemu-system-x86/);
  });

  it("throws QemuExitedError with QEMU's own message when QEMU refuses to start", async () => {
    const attempt = start("h", { overrides: { extraArgs: ["-device", "no-such-device-model"] } });
    await expect(attempt).rejects.toBeInstanceOf(QemuExitedError);
    await expect(attempt).rejects.toThrow(/while starting; QEMU said:\n.*no-such-device-model/);
  });

  it("throws KernelImageNotFoundError before creating anything", async () => {
    await expect(start("h", { kernelPath: path.join(scratch, "missing.elf") })).rejects.toBeInstanceOf(
      KernelImageNotFoundError,
    );
  });
});
