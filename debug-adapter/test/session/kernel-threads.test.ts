// kernel-threads.test.ts - the kernel's threads in the Call Stack (src/engine/launch/kernel-threads.ts,
// src/session/threads.ts), against real QEMU and GDB: samples/idle-demo paused in its idle phase lists its
// switched-out threads after the vCPUs; a sleeping worker's stack, unwound by GDB from the registers its
// context switch saved, runs through thread_sleep_ms with source lines and shows the function's argument;
// the vCPUs' own stacks are unchanged by looking at a thread; a switched-out thread cannot be stepped;
// `toroSelectThread` (a click in the Threads view) re-sends the stop for it; and after continue and another
// pause the threads are read afresh.

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { describe, expect, it } from "vitest";
import {
  TORO_SELECT_THREAD_REQUEST,
  TORO_TELEMETRY_EVENT,
  type ToroTelemetryBody,
} from "../../src/protocol/toro-protocol";
import { AdapterSession } from "./support/adapter-session";
import { REPOSITORY_ROOT } from "./support/fixture-app";

const IDLE_DEMO = path.join(REPOSITORY_ROOT, "samples", "idle-demo");
const THREAD_C = path.join(REPOSITORY_ROOT, "kernel", "core", "thread.c");
const CPUS = 4;
const SLEEPING_WORKER = /^Thread (\d+) · rest · core (\d) · sleeping$/;

/** The 1-based line of the first line of thread.c containing `text`. */
function threadCLine(text: string): number {
  const index = readFileSync(THREAD_C, "utf8")
    .split("\n")
    .findIndex((line) => line.includes(text));
  expect(index, `"${text}" in thread.c`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/**
 * Pauses once the workers sleep: telemetry (read from guest RAM while the VM runs) first shows every "rest"
 * worker created and one of them sleeping, then the pause must list one as sleeping (each wakes for
 * microseconds every 50 ms, so a pause may land in a wake-up: then it continues and tries again).
 */
async function pauseWithSleepingWorker(session: AdapterSession): Promise<DebugProtocol.Thread[]> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const mark = session.events.length;
    await session.waitFor(TORO_TELEMETRY_EVENT, {
      after: mark,
      predicate: (event) => {
        const workers = (event.body as ToroTelemetryBody).threads.filter((thread) => thread.name === "rest");
        return workers.length === CPUS && workers.some((thread) => thread.state === "sleeping");
      },
    });
    await session.stopAfter(() => session.client.pauseRequest({ threadId: 1 }));
    const threads = (await session.client.threadsRequest()).body.threads;
    if (threads.some((thread) => SLEEPING_WORKER.test(thread.name))) return threads;
    await session.client.continueRequest({ threadId: 1 });
  }
  throw new Error("no sleeping idle-demo worker in five pauses");
}

describe("kernel threads in the Call Stack", () => {
  it("lists idle-demo's threads after the vCPUs and unwinds a sleeping one through thread_sleep_ms", async () => {
    const session = await AdapterSession.open("kernel-threads");
    await session.launch({ app: IDLE_DEMO, cpus: CPUS, cmdline: "work_ms=50 idle_ms=600000 step_ms=50" });
    await session.waitFor("output", { predicate: (event) => /phase=idle start/.test(event.body.output) });
    const threads = await pauseWithSleepingWorker(session);

    // The vCPUs first (ids 1..4), then the kernel's threads: main waits in thread_join, the workers sleep.
    expect(threads.slice(0, CPUS).map((thread) => thread.id)).toEqual([1, 2, 3, 4]);
    const kernel = threads.slice(CPUS);
    expect(kernel.every((thread) => thread.id >= 100_000)).toBe(true);
    const running = kernel.filter((thread) => / · running$/.test(thread.name));
    expect(running, "a running thread is its vCPU's row, not listed twice").toEqual([]);
    expect(kernel.map((thread) => thread.name)).toContain("Thread 1 · main · core 0 · blocked");
    const worker = kernel.find((thread) => SLEEPING_WORKER.test(thread.name))!;
    const [, workerId, workerCore] = SLEEPING_WORKER.exec(worker.name)!;
    expect(worker.id).toBe(100_000 + Number(workerId));

    const vcpuBefore = (await session.client.stackTraceRequest({ threadId: 2 })).body.stackFrames;

    // The worker's stack, from its saved context: the switch, the sleep, the sample's loop, the thread entry.
    const frames = (await session.client.stackTraceRequest({ threadId: worker.id })).body.stackFrames;
    const names = frames.map((frame) => frame.name);
    for (const name of ["scheduler_switch_out", "thread_sleep_us", "thread_sleep_ms", "rest", "thread_entry"])
      expect(names, `${worker.name}: ${names.join(" <- ")}`).toContain(name);
    expect(names.indexOf("thread_sleep_ms")).toBeLessThan(names.indexOf("rest"));
    const sleep = frames.find((frame) => frame.name === "thread_sleep_ms")!;
    expect(sleep.source?.path).toBe(THREAD_C);
    expect(sleep.line).toBe(threadCLine("void thread_sleep_ms(uint64_t milliseconds)"));
    const rest = frames.find((frame) => frame.name === "rest")!;
    expect(rest.source?.path).toBe(path.join(IDLE_DEMO, "main.c"));
    expect(rest.line).toBeGreaterThan(0);

    // Variables: the argument thread_sleep_ms was called with (step_ms), read in that frame.
    const scopes = (await session.client.scopesRequest({ frameId: sleep.id })).body.scopes;
    expect(scopes.map((scope) => scope.name)).toEqual(["Locals", "Core", "Kernel"]);
    const locals = (
      await session.client.variablesRequest({ variablesReference: scopes[0].variablesReference })
    ).body.variables;
    expect(locals.find((variable) => variable.name === "milliseconds")?.value).toBe("50");
    expect(await session.evaluate("milliseconds * 2", sleep.id)).toBe("100");

    // The main thread waits for the workers in thread_join, called from the sample's run_phase.
    const mainThread = kernel.find((thread) => thread.name.startsWith("Thread 1 · main"))!;
    const mainFrames = (await session.client.stackTraceRequest({ threadId: mainThread.id })).body.stackFrames;
    const mainNames = mainFrames.map((frame) => frame.name);
    expect(mainNames, mainNames.join(" <- ")).toEqual(expect.arrayContaining(["thread_join", "run_phase"]));
    // run_phase's array of worker ids, on main's stack, expanded: its first entries are the workers listed.
    const runPhase = mainFrames.find((frame) => frame.name === "run_phase")!;
    const [mainLocals] = (await session.client.scopesRequest({ frameId: runPhase.id })).body.scopes;
    const ids = (
      await session.client.variablesRequest({ variablesReference: mainLocals.variablesReference })
    ).body.variables.find((variable) => variable.name === "ids")!;
    expect(ids.variablesReference).toBeGreaterThan(0);
    const entries = (await session.client.variablesRequest({ variablesReference: ids.variablesReference }))
      .body.variables;
    const workerIds = kernel
      .filter((thread) => / · rest · /.test(thread.name))
      .map((thread) => thread.id - 100_000)
      .sort((left, right) => left - right);
    const listedIds = entries.slice(0, CPUS).map((entry) => Number(entry.value));
    expect(listedIds.filter((id) => workerIds.includes(id))).toEqual(workerIds);

    // Looking at threads did not change the vCPUs' own stacks (same frames, same lines), nor the VM.
    const vcpuAfter = (await session.client.stackTraceRequest({ threadId: 2 })).body.stackFrames;
    expect(vcpuAfter.map((frame) => [frame.name, frame.line])).toEqual(
      vcpuBefore.map((frame) => [frame.name, frame.line]),
    );
    expect(Number(workerCore)).toBeLessThan(CPUS);
    await expect(session.client.nextRequest({ threadId: worker.id })).rejects.toThrow(
      /kernel thread \d+ is switched out and cannot be stepped/,
    );

    // Selecting the thread (the Threads view's click) re-sends the stop for it, focused; the VM does not move.
    const mark = session.events.length;
    await session.client.customRequest(TORO_SELECT_THREAD_REQUEST, { thread: Number(workerId) });
    expect((await session.waitFor("stopped", { after: mark })).body).toMatchObject({
      threadId: worker.id,
      allThreadsStopped: true,
      preserveFocusHint: false,
    });
    await expect(session.client.customRequest(TORO_SELECT_THREAD_REQUEST, { thread: 9999 })).rejects.toThrow(
      /no kernel thread 9999 at this stop \(threads: 1, /,
    );
    await expect(session.client.customRequest(TORO_SELECT_THREAD_REQUEST, { thread: "x" })).rejects.toThrow(
      /"thread" must be a kernel thread id \(an integer, 0 or more\), got "x"/,
    );
    expect(session.events.slice(mark).some((event) => event.event === "continued")).toBe(false);

    // Resume and stop again: a fresh table, and the thread's stack still unwinds.
    await session.client.continueRequest({ threadId: 1 });
    const again = await pauseWithSleepingWorker(session);
    const next = again.find((thread) => SLEEPING_WORKER.test(thread.name))!;
    const nextNames = (await session.client.stackTraceRequest({ threadId: next.id })).body.stackFrames.map(
      (frame) => frame.name,
    );
    expect(nextNames).toContain("thread_sleep_ms");
    expect((await session.client.stackTraceRequest({ threadId: 1 })).body.stackFrames.length).toBeGreaterThan(
      0,
    );
    await session.close();
  });
});
