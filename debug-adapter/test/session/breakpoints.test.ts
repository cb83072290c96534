// breakpoints.test.ts - conditional and hit-count breakpoints, logpoints, function breakpoints and a data
// breakpoint (watchpoint) on the counter every vCPU's worker adds to, on 4 vCPUs; breakpoints changed while
// the VM runs. Real QEMU and GDB through dist/adapter.js; lines from TAG comments.

import { describe, expect, it } from "vitest";
import { AdapterSession } from "./support/adapter-session";
import { SESSION_APP, SESSION_APP_SOURCE, tagLine } from "./support/fixture-app";

const CPUS = 4;

describe("breakpoints on 4 vCPUs", () => {
  it("stops at a conditional breakpoint only when its condition holds, on a worker's vCPU", async () => {
    const session = await AdapterSession.open("conditional");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: CPUS }, async () => {
      const [breakpoint] = await session.setBreakpoints(SESSION_APP_SOURCE, [
        { line: tagLine("counter-add"), condition: "step == 3" },
      ]);
      expect(breakpoint.verified).toBe(true);
    });
    const stop = (await stopped).body;
    expect(stop.reason).toBe("breakpoint");
    const frame = await session.topFrame(stop.threadId);
    expect(frame).toMatchObject({ name: "count_step", line: tagLine("counter-add") });
    expect(await session.evaluate("step", frame.id)).toBe("3");

    // The vCPU that stopped runs a worker: its thread says so.
    // The vCPUs first; the kernel's switched-out threads follow (kernel-threads.test.ts).
    const { threads } = (await session.client.threadsRequest()).body;
    expect(threads.slice(0, CPUS).map((thread) => thread.id)).toEqual(
      Array.from({ length: CPUS }, (_, index) => index + 1),
    );
    expect(threads.slice(CPUS).every((thread) => thread.id > 100_000)).toBe(true);
    const stoppedThread = threads.find((thread) => thread.id === stop.threadId)!;
    expect(stoppedThread.name).toBe(`CPU ${stop.threadId - 1} · worker-${stop.threadId - 1} · running`);
    await session.close();
  });

  it("honours hit counts and prints logpoints without stopping", async () => {
    const session = await AdapterSession.open("hits");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: CPUS }, async () => {
      await session.setBreakpoints(SESSION_APP_SOURCE, [
        { line: tagLine("counter-add"), logMessage: "adding {step} to {shared_counter}" },
        { line: tagLine("add-body"), hitCondition: "== 1" },
      ]);
      const functions = await session.client.setFunctionBreakpointsRequest({
        breakpoints: [{ name: "worker", hitCondition: "3" }],
      });
      expect(functions.body.breakpoints[0].verified).toBe(true);
    });
    expect((await stopped).body.reason).toBe("breakpoint"); // add_pair, first (and only) hit
    const third = await session.stopAfter(() => session.client.continueRequest({ threadId: 1 }));
    expect(third.body.reason).toBe("function breakpoint"); // the third worker to start
    const hits = await session.evaluate("-exec info breakpoints", undefined, "repl");
    expect(hits).toMatch(/worker[\s\S]*breakpoint already hit 3 times/);

    // Logpoints: every worker's five additions are printed, none stops the VM.
    await session.client.setFunctionBreakpointsRequest({ breakpoints: [] });
    const mark = session.events.length;
    await session.client.continueRequest({ threadId: 1 });
    await session.waitFor("output", {
      after: mark,
      predicate: (event) => /counter=\d+/.test(event.body.output),
    });
    const logged = session.output("console").match(/adding \d to \d+/g) ?? [];
    expect(logged.length).toBe(5 * CPUS);
    expect(session.events.slice(mark).some((event) => event.event === "stopped")).toBe(false);
    expect(session.output("stdout")).toContain(`session-app: counter=${15 * CPUS}`);
    await session.close();
  });

  it("stops on writes to the shared counter through a data breakpoint", async () => {
    const session = await AdapterSession.open("watchpoint");
    const entry = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: CPUS, stopOnEntry: true });
    await entry;
    const info = await session.client.dataBreakpointInfoRequest({ name: "shared_counter" });
    expect(info.body.dataId).not.toBeNull();
    expect(info.body.accessTypes).toContain("write");
    const set = await session.client.setDataBreakpointsRequest({
      breakpoints: [{ dataId: info.body.dataId!, accessType: "write" }],
    });
    expect(set.body.breakpoints[0].verified).toBe(true);

    const first = await session.stopAfter(() => session.client.continueRequest({ threadId: 1 }));
    expect(first.body.reason).toBe("data breakpoint");
    expect(first.body.description).toMatch(/shared_counter 0 → 1/);
    expect(first.body.threadId).toBeGreaterThanOrEqual(1);
    const frame = await session.topFrame(first.body.threadId);
    expect(frame.name).toBe("count_step");
    expect(await session.evaluate("shared_counter", frame.id)).toBe("1");

    const second = await session.stopAfter(() => session.client.continueRequest({ threadId: 1 }));
    expect(second.body.description).toMatch(/shared_counter 1 → \d+/);
    await session.close();
  });

  it("changes breakpoints while the VM runs, without a visible stop", async () => {
    const session = await AdapterSession.open("live-change");
    await session.launch({ app: SESSION_APP, cpus: CPUS });
    // The app ends in a loop that wakes every 20 ms: a breakpoint there is hit soon after it is set.
    await session.waitFor("output", { predicate: (event) => /counter=\d+/.test(event.body.output) });
    const mark = session.events.length;
    const [breakpoint] = await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: tagLine("idle-loop") }]);
    expect(breakpoint.verified).toBe(true);
    const stop = (await session.waitFor("stopped", { after: mark })).body;
    expect(stop.reason).toBe("breakpoint");
    expect(stop.hitBreakpointIds).toEqual([breakpoint.id]);
    expect((await session.topFrame(stop.threadId)).line).toBe(tagLine("idle-loop"));
    await session.close();
  });
});
