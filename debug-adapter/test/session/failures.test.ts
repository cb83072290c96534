// failures.test.ts - the kernel or its surroundings going wrong: a kernel panic, a CPU exception (the `crash`
// sample's null dereference) and a triple fault stop with reason `exception` and the kernel's message; the
// guest leaving QEMU, QEMU killed from outside and GDB dying end the session with `terminated` and leave no
// process or file behind.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { AdapterSession } from "./support/adapter-session";
import { REPOSITORY_ROOT, SESSION_APP, tagLine } from "./support/fixture-app";
import { waitUntilGone } from "../helpers/processes";

describe("failures inside the VM", () => {
  it("stops at a kernel panic with its message, before the kernel reports it", async () => {
    const session = await AdapterSession.open("panic");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: 2, cmdline: "mode=panic" });
    const stop = (await stopped).body;
    expect(stop).toMatchObject({
      reason: "exception",
      allThreadsStopped: true,
      description: "Kernel panic on CPU 0",
    });
    expect(stop.text).toBe("session-app: deliberate panic, counter=0");
    const info = (await session.client.exceptionInfoRequest({ threadId: stop.threadId })).body;
    expect(info).toMatchObject({ exceptionId: "kernel-panic", breakMode: "always" });
    expect(info.description).toContain("deliberate panic");
    const frames = (await session.client.stackTraceRequest({ threadId: stop.threadId })).body.stackFrames;
    expect(frames.map((frame) => frame.name)).toEqual(
      expect.arrayContaining(["panic_with_frame", "end_as_asked"]),
    );
    expect(frames.find((frame) => frame.name === "end_as_asked")?.line).toBe(tagLine("panic-call"));
    expect(session.output("stdout")).not.toContain("PANIC on cpu");

    // Continuing lets the kernel print its report; the same panic does not stop the session twice.
    const mark = session.events.length;
    await session.client.continueRequest({ threadId: stop.threadId });
    await session.waitFor("output", {
      after: mark,
      predicate: (event) => /halted after the panic/.test(event.body.output),
    });
    expect(session.output("stdout")).toContain("PANIC on cpu 0: session-app: deliberate panic");
    expect(session.events.slice(mark).some((event) => event.event === "stopped")).toBe(false);
    await session.close();
  });

  it("stops at a CPU exception (the crash sample's page fault)", async () => {
    const session = await AdapterSession.open("crash");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: path.join(REPOSITORY_ROOT, "samples", "crash"), cpus: 1 });
    const stop = (await stopped).body;
    expect(stop).toMatchObject({
      reason: "exception",
      description: "CPU exception on CPU 0: page fault (#PF)",
    });
    expect(stop.text).toMatch(/page fault \(#PF\), vector 14, .*cr2 0x4/);
    const info = (await session.client.exceptionInfoRequest({ threadId: stop.threadId })).body;
    expect(info.exceptionId).toBe("cpu-exception");

    // Below the exception handler's frames: the code the fault interrupted, faulting line first.
    const frames = (await session.client.stackTraceRequest({ threadId: stop.threadId })).body.stackFrames;
    const label = frames.findIndex((frame) => frame.presentationHint === "label");
    expect(frames[label]?.name).toBe("── interrupted by page fault (#PF) ──");
    const interrupted = frames.slice(label + 1);
    // The faulting instruction (the panic message's rip) is in the sample's null dereference; GCC -O2 may
    // have moved the load from read_retries into its caller, so either function is right.
    const rip = /at rip (0x[0-9a-f]+)/.exec(stop.text ?? "")?.[1];
    expect(interrupted[0]).toMatchObject({
      instructionPointerReference: rip,
      source: { path: path.join(REPOSITORY_ROOT, "samples", "crash", "main.c") },
    });
    expect(interrupted[0].name).toMatch(/^(read_retries|plan_retries)$/);
    expect(interrupted.map((frame) => frame.name)).toContain("thread_entry");
    const scopes = await session.client.scopesRequest({ frameId: interrupted[0].id });
    expect(scopes.body.scopes).toEqual([]);
    await session.close();
  });

  it("stops at a triple fault with the registers of the fault, and boots again after restart", async () => {
    const session = await AdapterSession.open("triple");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: 2, cmdline: "mode=triple" });
    const stop = (await stopped).body;
    expect(stop).toMatchObject({
      reason: "exception",
      description: `Triple fault on CPU ${stop.threadId - 1}`,
    });
    expect((await session.client.exceptionInfoRequest({ threadId: stop.threadId })).body.exceptionId).toBe(
      "triple-fault",
    );
    const frame = await session.topFrame(stop.threadId);
    expect(frame).toMatchObject({ name: "end_as_asked", line: tagLine("triple-fault") });
    // The VM cannot run on from a shutdown: continue says so instead of hanging.
    await expect(session.client.continueRequest({ threadId: stop.threadId })).rejects.toThrow(/Restart/);

    const mark = session.events.length;
    await session.client.restartRequest({});
    const again = (await session.waitFor("stopped", { after: mark })).body;
    expect(again.description).toMatch(/^Triple fault/);
    expect(session.output("stdout").match(/toro: ready/g)).toHaveLength(2);
    await session.close();
  });

  it("still stops at a panic the breakpoint missed, from the serial report", async () => {
    const session = await AdapterSession.open("panic-fallback");
    const entry = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: 2, cmdline: "mode=panic", stopOnEntry: true });
    await entry;
    // Remove every GDB breakpoint behind the adapter's back, the panic breakpoint included.
    await session.evaluate("-exec delete", undefined, "repl");
    const stop = await session.stopAfter(() => session.client.continueRequest({ threadId: 1 }));
    expect(stop.body).toMatchObject({
      reason: "exception",
      description: "Kernel panic on CPU 0",
      threadId: 1,
    });
    expect(stop.body.text).toBe("session-app: deliberate panic, counter=0");
    expect(session.output("stdout")).toContain("PANIC on cpu 0: session-app: deliberate panic");
    await session.close();
  });

  it("lets a panic run when the exception filter is off", async () => {
    const session = await AdapterSession.open("panic-filter-off");
    await session.launch({ app: SESSION_APP, cpus: 2, cmdline: "mode=panic" }, async () => {
      await session.client.setExceptionBreakpointsRequest({ filters: [] });
    });
    await session.waitFor("output", {
      predicate: (event) => /halted after the panic/.test(event.body.output),
    });
    expect(session.events.some((event) => event.event === "stopped")).toBe(false);
    const paused = await session.stopAfter(() => session.client.pauseRequest({ threadId: 1 }));
    expect(paused.body.reason).toBe("pause");
    await session.close();
  });
});

describe("the end of QEMU or GDB", () => {
  it("reports the guest leaving QEMU with its exit code", async () => {
    const session = await AdapterSession.open("guest-exit");
    await session.launch({ app: SESSION_APP, cpus: 1, cmdline: "mode=exit" });
    const exited = await session.waitFor("exited");
    expect(exited.body.exitCode).toBe(3);
    await session.waitFor("terminated");
    expect(session.output("important")).toContain("isa-debug-exit with code 3");
    await session.expectProcessesGone();
    await session.close();
  });

  it("ends the session when QEMU is killed from outside, leaving nothing behind", async () => {
    const session = await AdapterSession.open("qemu-killed");
    await session.launch({ app: SESSION_APP, cpus: 2 });
    await session.waitFor("output", { predicate: (event) => /counter=\d+/.test(event.body.output) });
    process.kill(session.info!.qemuPid!, "SIGKILL");
    await session.waitFor("terminated");
    expect(session.output("important")).toMatch(/QEMU was killed by signal SIGKILL/);
    await session.expectProcessesGone();
    await session.close();
  });

  it("ends the session when GDB dies, and stops QEMU", async () => {
    const session = await AdapterSession.open("gdb-killed");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: 2, stopOnEntry: true });
    await stopped;
    process.kill(session.info!.gdbPid!, "SIGKILL");
    await session.waitFor("terminated");
    expect(session.output("important")).toMatch(/GDB was killed by signal SIGKILL/);
    expect(await waitUntilGone(session.info!.qemuPid!)).toBe(true);
    await session.expectProcessesGone();
    await session.close();
  });

  it("cleans up when the adapter itself is told to stop (SIGTERM)", async () => {
    const session = await AdapterSession.open("adapter-sigterm");
    await session.launch({ app: SESSION_APP, cpus: 2 });
    await session.waitFor("toroTelemetry");
    process.kill(session.adapterPid!, "SIGTERM");
    expect(await waitUntilGone(session.adapterPid!)).toBe(true);
    await session.expectProcessesGone();
    await session.close();
  });
});
