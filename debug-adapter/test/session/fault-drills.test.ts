// fault-drills.test.ts - the world failing around a live session, as a user would meet it in VS Code: QEMU
// frozen by SIGSTOP for 5 s (the adapter keeps answering and says so), GDB killed while the VM runs, the
// guest-RAM file truncated under the telemetry poller, and the disk full while building. Each must end in a
// clear message, never a hang, and leave no process or file behind (AdapterSession.close checks). The
// ending of QEMU or GDB at other moments is in failures.test.ts; 100 launch/terminate cycles are in the long
// tier (test/long/, `npm run test:long -w debug-adapter`).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { TORO_SNAPSHOT_REQUEST } from "../../src/protocol/toro-protocol";
import { AdapterSession } from "./support/adapter-session";
import { SESSION_APP } from "./support/fixture-app";

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The guest-RAM file of the session's QEMU (in its private directory under the adapter's TMPDIR). */
function guestRamFile(session: AdapterSession): string {
  const found = fs
    .readdirSync(session.temporaryDirectory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === "guest-ram")
    .map((entry) => path.join(entry.parentPath, entry.name));
  expect(found).toHaveLength(1);
  return found[0];
}

describe("fault drills", () => {
  it("keeps answering while QEMU is SIGSTOPped for 5 s, says so, and goes on after SIGCONT", async () => {
    const session = await AdapterSession.open("qemu-sigstop");
    await session.launch({ app: SESSION_APP, cpus: 2 });
    await session.waitFor("output", { predicate: (event) => /counter=\d+/.test(event.body.output) });
    const qemuPid = session.info!.qemuPid!;
    const stoppedAt = Date.now();
    process.kill(qemuPid, "SIGSTOP");
    try {
      await session.waitFor("output", {
        predicate: (event) => /QEMU \(pid \d+\) is stopped by a signal/.test(event.body.output),
      });
      // The adapter answers requests that need no GDB: telemetry from guest RAM, the thread list.
      const snapshot = await session.client.customRequest(TORO_SNAPSHOT_REQUEST);
      expect(snapshot.body.target).toBe("running");
      expect((await session.client.threadsRequest()).body.threads.length).toBe(2);
      await sleep(Math.max(0, 5000 - (Date.now() - stoppedAt)));
    } finally {
      process.kill(qemuPid, "SIGCONT");
    }
    const mark = session.events.length;
    await session.waitFor("output", {
      after: mark,
      predicate: (event) => /QEMU \(pid \d+\) runs again/.test(event.body.output),
    });
    const paused = await session.stopAfter(() => session.client.pauseRequest({ threadId: 1 }));
    expect(paused.body.reason).toBe("pause");
    await session.close();
  });

  it("ends the session with GDB's end when GDB is killed while the VM runs", async () => {
    const session = await AdapterSession.open("gdb-killed-running");
    await session.launch({ app: SESSION_APP, cpus: 2 });
    await session.waitFor("output", { predicate: (event) => /counter=\d+/.test(event.body.output) });
    process.kill(session.info!.gdbPid!, "SIGKILL");
    await session.waitFor("terminated");
    expect(session.output("important")).toMatch(/GDB was killed by signal SIGKILL/);
    // By `terminated`, QEMU and its private directory are gone: no waiting here.
    expect(session.isRunning(session.info!.qemuPid)).toBe(false);
    await session.expectProcessesGone();
    await session.close();
  });

  it("reports the guest-RAM file truncated under the live poller, and ends cleanly", async () => {
    const session = await AdapterSession.open("ram-truncated");
    await session.launch({ app: SESSION_APP, cpus: 2 });
    await session.waitFor("toroTelemetry");
    const mark = session.events.length;
    fs.truncateSync(guestRamFile(session), 4096);
    // QEMU's RAM is that file, mapped: QEMU dies of SIGBUS at its next touch of the lost pages. Until then
    // the telemetry says why it cannot read the block; either way the user reads what happened.
    await session.waitFor("terminated");
    const unreadable = session
      .telemetrySince(mark)
      .map((body) => body.unreadable)
      .filter((reason): reason is string => typeof reason === "string");
    for (const reason of unreadable) expect(reason.length).toBeGreaterThan(0); // the decoder's reasons
    expect(session.output("important")).toMatch(/QEMU (was killed by signal SIGBUS|exited)/);
    await session.expectProcessesGone();
    await session.close();
  });

  it("says the disk is full when the build cannot write, and starts nothing", async () => {
    // A copy of the app whose object file is /dev/full: every write to it fails with ENOSPC.
    const app = fs.mkdtempSync(path.join(os.tmpdir(), "toro-disk-full-"));
    try {
      fs.copyFileSync(path.join(SESSION_APP, "main.c"), path.join(app, "main.c"));
      fs.mkdirSync(path.join(app, "build", "obj", "app"), { recursive: true });
      fs.symlinkSync("/dev/full", path.join(app, "build", "obj", "app", "main.c.o"));
      const session = await AdapterSession.open("disk-full");
      const message = await session.launchError({ app, cpus: 1 });
      expect(message).toMatch(/the build failed .*No space left on device.*the disk is full/);
      expect(session.info).toBeUndefined(); // no QEMU, no GDB
      await session.close();
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  });
});
