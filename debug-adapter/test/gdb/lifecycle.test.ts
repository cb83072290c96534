// lifecycle.test.ts - starting and ending the GDB layer: a missing GDB, a program that is not GDB, shutdown
// with kill and with detach, QEMU dying while running or stopped, GDB dying mid-session; after each case
// no GDB or QEMU process may be left. Real GDB and QEMU; shared setup in support/session.ts.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import {
  connectRemote,
  continueExecution,
  GDB_INSTALL_HINT,
  GdbClient,
  GdbError,
  GdbExitedError,
  GdbNotFoundError,
  GdbTimeoutError,
  listThreads,
  NoTargetError,
} from "../../src/gdb";
import { childProcessesNamed, isAlive, waitUntilGone } from "../helpers/processes";
import { rejectionOf } from "./support/rejection";
import { findFreePort } from "./support/qemu-target";
import { openSession } from "./support/session";

function within<T>(promise: Promise<T>, milliseconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${milliseconds} ms`)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

afterAll(() => {
  // Every test below ends its own processes; this catches any that escaped.
  expect(childProcessesNamed("gdb")).toEqual([]);
  expect(childProcessesNamed("qemu-system")).toEqual([]);
});

describe("starting GDB", () => {
  it("reports a missing GDB with the install command", async () => {
    const error = await rejectionOf(
      GdbClient.start({ gdbPath: "/nonexistent/toro-test-gdb" }),
      GdbNotFoundError,
    );
    expect(error.installHint).toBe("apt-get install -y gdb");
    expect(error.message).toContain(GDB_INSTALL_HINT);
    expect(error.message).toContain("ENOENT");
  });

  it("ends a program that is not GDB: one that exits, one that never answers", async () => {
    await expect(GdbClient.start({ gdbPath: "/bin/true" })).rejects.toBeInstanceOf(GdbExitedError);
    expect(childProcessesNamed("true")).toEqual([]);

    const directory = await mkdtemp(path.join(tmpdir(), "toro-gdb-silent-"));
    try {
      const silent = path.join(directory, "silent-gdb");
      await writeFile(
        silent,
        "#!/bin/sh\n# Ignores its arguments and never answers, like a hung GDB.\nexec cat\n",
        {
          mode: 0o700,
        },
      );
      const started = Date.now();
      await expect(GdbClient.start({ gdbPath: silent, commandTimeoutMs: 300 })).rejects.toBeInstanceOf(
        GdbTimeoutError,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(childProcessesNamed("cat")).toEqual([]);
      expect(childProcessesNamed("silent-gdb")).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("starts and exits a bare GDB quickly", async () => {
    const started = process.hrtime.bigint();
    const gdb = await GdbClient.start();
    const startMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(gdb.state).toBe("disconnected");
    await expect(listThreads(gdb)).rejects.toBeInstanceOf(NoTargetError);
    const pid = gdb.pid as number;
    const stopping = process.hrtime.bigint();
    await gdb.shutdown();
    const stopMs = Number(process.hrtime.bigint() - stopping) / 1e6;
    console.log(`bare GDB: start ${startMs.toFixed(0)} ms, shutdown ${stopMs.toFixed(0)} ms`);
    expect(isAlive(pid)).toBe(false);
    expect(gdb.hasExited).toBe(true);
    await gdb.shutdown(); // idempotent
  });
});

describe("ending a session", () => {
  it("shutdown during a connect that hangs (nothing listens) ends it and reaps GDB at once", async () => {
    const gdb = await GdbClient.start();
    const connecting = connectRemote(gdb, "127.0.0.1", await findFreePort());
    connecting.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await gdb.shutdown();
    console.log(`shutdown during a hanging connect: ${Date.now() - started} ms`);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(isAlive(gdb.pid as number)).toBe(false);
    // Shutdown interrupted GDB's connection retries (SIGINT) rather than waiting them out.
    expect((await rejectionOf(connecting, GdbError)).miMessage).toContain("Interrupted");
  }, 30_000);

  it("kill while the target runs: QEMU exits by itself, GDB is reaped", async () => {
    const session = await openSession(2);
    await continueExecution(session.gdb);
    expect(session.gdb.state).toBe("running");
    const gdbPid = session.gdb.pid as number;

    await session.gdb.shutdown("kill");

    await within(session.qemu.whenExited(), 5_000, "QEMU exit after kill");
    expect(isAlive(gdbPid)).toBe(false);
    expect(isAlive(session.qemu.pid)).toBe(false);
    expect(session.gdb.state).toBe("disconnected");
    await session.close();
  }, 30_000);

  it("detach: GDB is reaped and QEMU runs on", async () => {
    const session = await openSession(1);
    const disconnected = new Promise<void>((resolve) => session.gdb.once("targetDisconnected", resolve));
    await session.gdb.shutdown("detach");
    await within(disconnected, 1_000, "targetDisconnected event");
    expect(await waitUntilGone(session.gdb.pid as number, 1_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(session.qemu.exited).toBe(false);
    await session.close();
  }, 30_000);

  it("QEMU dying while the target runs: shutdown still reaps GDB promptly", async () => {
    const session = await openSession(1);
    await continueExecution(session.gdb);
    await session.qemu.stop();
    const started = Date.now();
    await session.gdb.shutdown();
    console.log(`shutdown after QEMU died while running: ${Date.now() - started} ms`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await waitUntilGone(session.gdb.pid as number, 1_000)).toBe(true);
    await session.close();
  }, 30_000);

  it("QEMU dying while stopped: the next command fails and the target is reported gone", async () => {
    const session = await openSession(1);
    const disconnected = new Promise<void>((resolve) => session.gdb.once("targetDisconnected", resolve));
    await session.qemu.stop();
    await expect(listThreads(session.gdb)).rejects.toBeInstanceOf(GdbError);
    await within(disconnected, 1_000, "targetDisconnected event");
    expect(session.gdb.state).toBe("disconnected");
    await expect(listThreads(session.gdb)).rejects.toBeInstanceOf(NoTargetError);
    await session.close();
  }, 30_000);

  it("GDB dying mid-session: commands fail with GdbExitedError, shutdown still completes", async () => {
    const session = await openSession(1);
    const exited = new Promise<void>((resolve) => session.gdb.once("exited", () => resolve()));
    process.kill(session.gdb.pid as number, "SIGKILL");
    await within(exited, 2_000, "exited event");
    const failure = await rejectionOf(listThreads(session.gdb), GdbExitedError);
    expect(failure.exitSignal).toBe("SIGKILL");
    await session.close();
  }, 30_000);
});
