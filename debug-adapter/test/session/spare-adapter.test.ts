// spare-adapter.test.ts - the spare adapter (`dist/adapter.js --spare <socket> --gdb <gdbPath>`, what the
// extension starts before F5): it starts GDB before any launch, serves one session on its unix socket, a
// launch with the same gdbPath uses that GDB, one with another gdbPath starts its own and the spare GDB is
// ended, and an idle spare told to stop (its starter's end of stdin closed, or SIGTERM) leaves no GDB and
// no socket behind. The session's own checks (adapter-session.ts close()) add: QEMU, GDB and the adapter
// gone after disconnect, TMPDIR empty.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { AdapterSession } from "./support/adapter-session";
import { prebuiltSessionApp } from "./support/fixture-app";
import { descendants, waitUntilGone } from "../helpers/processes";

/** The spare's GDB child, once it has started. */
async function spareGdbPid(adapterPid: number): Promise<number> {
  for (let tries = 0; tries < 400; tries++) {
    const gdb = descendants(adapterPid).find((child) => child.name === "gdb");
    if (gdb !== undefined) return gdb.pid;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the spare adapter started no GDB");
}

describe("spare adapter", () => {
  it("launches with the GDB it started before the launch, then exits with its session", async () => {
    const { kernelElf } = await prebuiltSessionApp();
    const session = await AdapterSession.open("spare", { spare: { gdbPath: "gdb" } });
    const gdbPid = await spareGdbPid(session.adapterPid!);
    await session.launch({ program: kernelElf, cpus: 2 });
    expect(session.info?.gdbPid).toBe(gdbPid);
    expect(fs.readFileSync(session.adapterLog, "utf8")).toMatch(/launch: using the spare GDB \(pid \d+/);
    await session.waitFor("toroTelemetry", { predicate: (event) => event.body.global !== null });
    await session.close(); // disconnect: QEMU, GDB and the spare adapter gone
    expect(await waitUntilGone(gdbPid)).toBe(true);
  });

  it("starts its own GDB for a launch with another gdbPath and ends the spare one", async () => {
    const { kernelElf } = await prebuiltSessionApp();
    const session = await AdapterSession.open("spare-other-gdb", { spare: { gdbPath: "/usr/bin/gdb" } });
    const spareGdb = await spareGdbPid(session.adapterPid!);
    await session.launch({ program: kernelElf, cpus: 1, gdbPath: "gdb" });
    expect(session.info?.gdbPid).not.toBe(spareGdb);
    expect(fs.readFileSync(session.adapterLog, "utf8")).not.toMatch(/using the spare GDB/);
    await session.close();
    expect(await waitUntilGone(spareGdb), "the unused spare GDB was left behind").toBe(true);
  });

  for (const how of ["stdin closed", "SIGTERM"] as const) {
    it(`ends its GDB and removes its socket when stopped while idle (${how})`, async () => {
      const session = await AdapterSession.open(`spare-idle-${how === "SIGTERM" ? "term" : "stdin"}`, {
        spare: { gdbPath: "gdb" },
      });
      const gdbPid = await spareGdbPid(session.adapterPid!);
      const socketDirectory = fs.readdirSync(session.directory).find((name) => name.startsWith("spare-"))!;
      if (how === "SIGTERM") session.spare!.kill("SIGTERM");
      else session.spare!.stdin!.end();
      expect(await waitUntilGone(session.adapterPid!)).toBe(true);
      expect(await waitUntilGone(gdbPid)).toBe(true);
      expect(fs.readdirSync(path.join(session.directory, socketDirectory))).toEqual([]);
      await session.close();
    });
  }
});
