// no-debug.test.ts - Run Without Debugging (`noDebug: true`, VS Code's Ctrl+F5): QEMU boots with no gdbstub
// and no GDB is started (a GDB that does not exist is fine), serial output reaches the Debug Console,
// telemetry events flow at telemetryHz, breakpoints are answered as inactive, requests that need GDB are
// refused with a clear message, restart boots again, and terminate or the guest's own exit leave nothing.

import { describe, expect, it } from "vitest";
import { TORO_SELECT_CORE_REQUEST } from "../../src/protocol/toro-protocol";
import { AdapterSession } from "./support/adapter-session";
import { SESSION_APP, SESSION_APP_SOURCE, tagLine } from "./support/fixture-app";
import { descendants } from "../helpers/processes";

const WITHOUT_DEBUGGING = /runs without debugging \(no GDB is attached to the VM\)/;

describe("run without debugging", () => {
  it("boots without GDB, shows serial output and telemetry, and refuses what needs GDB", async () => {
    const session = await AdapterSession.open("no-debug");
    let breakpoints: Awaited<ReturnType<AdapterSession["setBreakpoints"]>> = [];
    await session.launch(
      {
        app: SESSION_APP,
        cpus: 2,
        idle: "halt",
        telemetryHz: 20,
        noDebug: true,
        gdbPath: "/nonexistent/gdb",
      },
      async () => {
        breakpoints = await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: tagLine("add-body") }]);
      },
    );
    expect(session.info).toMatchObject({ noDebug: true, gdbstub: null, gdbPid: null, cpus: 2 });
    expect(breakpoints).toEqual([
      expect.objectContaining({
        verified: false,
        line: tagLine("add-body"),
        message: expect.stringMatching(/no GDB/),
      }),
    ]);
    const qemuPid = session.info!.qemuPid!;
    const children = descendants(session.adapterPid!);
    expect(children.some((child) => child.pid === qemuPid)).toBe(true);
    expect(children.filter((child) => /gdb/.test(child.name))).toEqual([]);
    expect(session.output()).not.toMatch(/-gdb|tcp:127/);

    // The app runs to its idle loop without stopping; its lines reach the Debug Console.
    await session.waitFor("output", {
      predicate: (event) => /session-app: counter=\d+/.test(event.body.output),
    });
    const mark = session.events.length;
    await session.waitFor("toroTelemetry", {
      after: mark,
      predicate: () => session.telemetrySince(mark).length >= 4,
    });
    const bodies = session.telemetrySince(mark);
    expect(bodies.every((body) => body.target === "running" && body.unreadable === null)).toBe(true);
    expect(bodies[bodies.length - 1].cores).toHaveLength(2);
    expect(bodies[bodies.length - 1].vm?.stops).toBe(0);
    expect(session.events.some((event) => event.event === "stopped")).toBe(false);

    const threads = (await session.client.threadsRequest()).body.threads;
    expect(threads.map((thread) => thread.id)).toEqual([1, 2]);
    for (const refused of [
      () => session.client.pauseRequest({ threadId: 1 }),
      () => session.client.stackTraceRequest({ threadId: 1 }),
      () => session.client.evaluateRequest({ expression: "shared_counter", context: "watch" }),
      () => session.client.customRequest(TORO_SELECT_CORE_REQUEST, { core: 0 }),
    ]) {
      await expect(refused()).rejects.toThrow(WITHOUT_DEBUGGING);
    }

    // Restart boots the same QEMU again.
    await session.client.restartRequest({});
    await session.waitFor("output", {
      predicate: () => (session.output("stdout").match(/toro: ready cores=2/g) ?? []).length === 2,
    });
    expect(session.isRunning(qemuPid)).toBe(true);

    const end = session.events.length;
    await session.client.terminateRequest({});
    await session.waitFor("terminated", { after: end });
    await session.expectProcessesGone();
    await session.close();
  });

  it("ends with the guest's exit code when the app leaves QEMU", async () => {
    const session = await AdapterSession.open("no-debug-exit");
    await session.launch({ app: SESSION_APP, cpus: 1, cmdline: "mode=exit", noDebug: true });
    const exited = await session.waitFor("exited");
    expect(exited.body.exitCode).toBe(3);
    await session.waitFor("terminated");
    await session.expectProcessesGone();
    await session.close();
  });

  it("refuses a noDebug that is not true or false", async () => {
    const session = await AdapterSession.open("no-debug-invalid");
    const message = await session.launchError({ app: SESSION_APP, noDebug: "yes" });
    expect(message).toContain('"noDebug" must be true or false, got "yes"');
    await session.close();
  });
});
