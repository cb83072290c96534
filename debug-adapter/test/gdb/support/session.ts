// session.ts - the one shared setup of the GDB layer's tests: build the test kernel, boot it in QEMU stopped
// at reset, start GDB through GdbClient, load kernel.elf and connect. close() ends everything and checks
// that no GDB or QEMU process is left. Pairs with fixture.ts, qemu-target.ts and processes.ts.

import { connectRemote, GdbClient, loadProgram, type TargetDisposition } from "../../../src/gdb";
import { buildFixtureKernel, type FixtureKernel } from "./fixture";
import { waitForProcessGone } from "./processes";
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
      if (!(await waitForProcessGone(pid as number, 2_000))) {
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
