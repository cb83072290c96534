// session.ts - the one shared setup of the GDB layer's tests: build the test kernel, boot it in QEMU stopped
// at reset, start GDB through GdbClient, load kernel.elf and connect. close() ends everything and checks
// that no GDB or QEMU process is left; useSharedSession() registers the hooks a test file needs around one
// such session. Pairs with fixture.ts, qemu-target.ts and ../../helpers/processes.ts.

import { afterAll, afterEach, beforeAll } from "vitest";
import { connectRemote, GdbClient, interrupt, loadProgram, type TargetDisposition } from "../../../src/gdb";
import { buildFixtureKernel, type FixtureKernel } from "./fixture";
import { waitUntilGone } from "../../helpers/processes";
import { startQemu, type QemuTarget } from "./qemu-target";

/** Lines of the GDB conversation kept for failure reports. */
const TRANSCRIPT_LINES_KEPT = 400;

export interface TestSession {
  fixture: FixtureKernel;
  qemu: QemuTarget;
  gdb: GdbClient;
  /** The last lines sent to and received from GDB. */
  transcript(): string;
  /** Shuts GDB down (`disposition` applied to QEMU), stops QEMU, removes the build; throws if a process
   * is left behind. */
  close(disposition?: TargetDisposition): Promise<void>;
}

export async function openSession(cpus: number): Promise<TestSession> {
  const fixture = await buildFixtureKernel();
  const qemu = await startQemu(fixture.bootPath, cpus);
  const lines: string[] = [];
  const started = Date.now();
  let gdb: GdbClient;
  try {
    gdb = await GdbClient.start({
      onTrace: (entry) => {
        lines.push(`${String(Date.now() - started).padStart(6)} ${entry.direction.padEnd(7)} ${entry.text}`);
        lines.splice(0, Math.max(0, lines.length - TRANSCRIPT_LINES_KEPT));
      },
    });
  } catch (error) {
    await qemu.stop();
    await fixture.remove();
    throw error;
  }
  const close = async (disposition: TargetDisposition = "kill"): Promise<void> => {
    const gdbPid = gdb.pid;
    try {
      await gdb.shutdown(disposition);
    } finally {
      await qemu.stop();
      await fixture.remove();
    }
    const leftovers = [
      { name: "gdb", pid: gdbPid },
      { name: "qemu", pid: qemu.pid },
    ].filter((entry) => entry.pid !== undefined);
    for (const { name, pid } of leftovers) {
      if (!(await waitUntilGone(pid as number, 2_000))) {
        throw new Error(`${name} (pid ${pid}) is still running after close()`);
      }
    }
  };
  try {
    await loadProgram(gdb, fixture.elfPath);
    await connectRemote(gdb, "127.0.0.1", qemu.port);
  } catch (error) {
    await close().catch(() => undefined);
    throw new Error(`could not connect GDB to QEMU (${qemu.errorOutput().trim()})`, { cause: error });
  }
  return { fixture, qemu, gdb, transcript: () => lines.join("\n"), close };
}

/** How long opening or closing a shared session may take (it builds the kernel and boots QEMU). */
const SESSION_HOOK_TIMEOUT_MS = 30_000;

export interface SharedSessionHooks {
  /** Runs once the session is open, before the first test (e.g. run to the stop every test inspects). */
  prepare?: (session: TestSession) => Promise<void>;
  /** Runs after each test, once the target is stopped (e.g. delete what the test inserted). */
  afterEachTest?: (session: TestSession) => Promise<void>;
}

/**
 * Registers one session for all tests of a file: opened before the first, closed after the last. After each
 * test, a failure prints the transcript's last lines and a target left running is stopped, so the next test
 * starts from a stopped VM. Returns a stand-in that reaches the open session (usable inside tests and hooks).
 */
export function useSharedSession(cpus: number, hooks: SharedSessionHooks = {}): TestSession {
  let current: TestSession | undefined;
  const open = (): TestSession => {
    if (current === undefined) throw new Error("the shared GDB session is not open (beforeAll failed?)");
    return current;
  };
  beforeAll(async () => {
    current = await openSession(cpus);
    await hooks.prepare?.(current);
  }, SESSION_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await current?.close();
  }, SESSION_HOOK_TIMEOUT_MS);
  afterEach(async (context) => {
    const session = open();
    if (context.task.result?.state === "fail") {
      console.log(`GDB transcript (last lines):\n${session.transcript().split("\n").slice(-80).join("\n")}`);
    }
    if (session.gdb.state === "running") {
      await session.gdb.untilStopped(() => interrupt(session.gdb));
    }
    await hooks.afterEachTest?.(session);
  });
  return {
    get fixture() {
      return open().fixture;
    },
    get qemu() {
      return open().qemu;
    },
    get gdb() {
      return open().gdb;
    },
    transcript: () => open().transcript(),
    close: (disposition) => open().close(disposition),
  };
}
