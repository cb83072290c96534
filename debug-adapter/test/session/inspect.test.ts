// inspect.test.ts - launch with stopOnEntry, a breakpoint in an app function, stepping, threads = vCPUs named
// from telemetry, variables and registers, the Core and Kernel scopes, evaluate (watch, hover, `-exec`),
// setVariable, readMemory/writeMemory and disassembly; on 1 and 4 vCPUs, against real QEMU and GDB through
// dist/adapter.js. Stop lines come from TAG comments in fixtures/session-app/main.c.

import { describe, expect, it } from "vitest";
import { AdapterSession } from "./support/adapter-session";
import { SESSION_APP, SESSION_APP_SOURCE, tagLine } from "./support/fixture-app";

const THREAD_NAME = /^CPU \d+( · [\w-]+)? · (offline|running|idle-spin|halted|lock-spin|interrupt|polling)$/;

describe.each([1, 4])("a session on %i vCPU(s)", (cpus) => {
  it("launches, stops on entry in main, and lists one thread per vCPU", async () => {
    const session = await AdapterSession.open(`entry-${cpus}`);
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus, stopOnEntry: true });
    const stop = (await stopped).body;
    expect(stop).toMatchObject({ reason: "entry", threadId: 1, allThreadsStopped: true });
    expect((await session.topFrame(1)).name).toBe("main");

    const { threads } = (await session.client.threadsRequest()).body;
    expect(threads.map((thread) => thread.id)).toEqual(Array.from({ length: cpus }, (_, index) => index + 1));
    for (const thread of threads) expect(thread.name).toMatch(THREAD_NAME);
    expect(threads[0].name).toBe("CPU 0 · main · running");
    expect(session.info).toMatchObject({ cpus, request: "launch" });
    await session.close();
  });

  it("stops at a breakpoint in an app function, steps in, out and over", async () => {
    const session = await AdapterSession.open(`steps-${cpus}`);
    const callLine = tagLine("call-add");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus }, async () => {
      const [breakpoint] = await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: callLine }]);
      expect(breakpoint).toMatchObject({ verified: true, line: callLine });
    });
    const stop = (await stopped).body;
    expect(stop).toMatchObject({ reason: "breakpoint", allThreadsStopped: true });
    expect(stop.hitBreakpointIds).toHaveLength(1);
    const threadId = stop.threadId;
    expect(await session.topFrame(threadId)).toMatchObject({ name: "main", line: callLine });

    const stepIn = await session.stopAfter(() => session.client.stepInRequest({ threadId }));
    expect(stepIn.body.reason).toBe("step");
    const inside = await session.topFrame(threadId);
    expect(inside).toMatchObject({ name: "add_pair", line: tagLine("add-body") });
    expect(await session.evaluate("pair->left + pair->right", inside.id)).toBe("42");

    await session.stopAfter(() => session.client.stepOutRequest({ threadId }));
    const back = await session.topFrame(threadId);
    expect(back.name).toBe("main");

    await session.stopAfter(() => session.client.nextRequest({ threadId }));
    const after = await session.topFrame(threadId);
    expect(after.name).toBe("main");
    expect(after.line).toBeGreaterThan(callLine);

    const instruction = await session.stopAfter(() =>
      session.client.nextRequest({ threadId, granularity: "instruction" }),
    );
    expect(instruction.body.reason).toBe("step");
    await session.close();
  });

  it("shows locals, registers, the Core and Kernel scopes, evaluates, sets variables and reads memory", async () => {
    const session = await AdapterSession.open(`inspect-${cpus}`);
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus }, async () => {
      await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: tagLine("add-body") }]);
    });
    const threadId = (await stopped).body.threadId;
    const frame = await session.topFrame(threadId);
    const scopes = (await session.client.scopesRequest({ frameId: frame.id })).body.scopes;
    expect(scopes.map((scope) => scope.name)).toEqual(["Locals", "Registers", "Core", "Kernel"]);
    const [locals, registers, core, kernel] = await Promise.all(
      scopes.map(
        async (scope) =>
          (await session.client.variablesRequest({ variablesReference: scope.variablesReference })).body
            .variables,
      ),
    );

    const pair = locals.find((variable) => variable.name === "pair")!;
    expect(pair.variablesReference).toBeGreaterThan(0);
    const fields = (await session.client.variablesRequest({ variablesReference: pair.variablesReference }))
      .body.variables;
    expect(fields.map((field) => [field.name, field.value])).toEqual([
      ["left", "20"],
      ["right", "22"],
    ]);
    expect(fields[0].evaluateName).toBe("pair->left");

    const rip = registers.find((register) => register.name === "rip")!;
    expect(rip.value).toMatch(/^0x[0-9a-f]+/);
    expect(registers.find((register) => register.name === "eflags")?.value).toMatch(/\[.*\]/);
    expect(registers.some((register) => register.name === "cr3")).toBe(true);

    expect(core.find((variable) => variable.name === "state")?.value).toBe("running");
    expect(core.find((variable) => variable.name === "thread")?.value).toBe("#1 main");
    const cpuStruct = core.find((variable) => variable.name.startsWith("struct cpu"))!;
    const cpuFields = (
      await session.client.variablesRequest({ variablesReference: cpuStruct.variablesReference })
    ).body.variables;
    expect(cpuFields.find((field) => field.name === "index")?.value).toBe(String(threadId - 1));
    expect(kernel.find((variable) => variable.name === "idle policy")?.value).toBe("tickless");
    expect(kernel.find((variable) => variable.name === "cores online / detected")?.value).toBe(
      `${cpus} / ${cpus}`,
    );

    // Evaluate: watch, hover, the Debug Console, and a raw GDB command.
    expect(await session.evaluate("pair->left * 2", frame.id, "watch")).toBe("40");
    expect(await session.evaluate("first_input", frame.id, "hover")).toBe("20");
    const info = await session.evaluate("-exec info threads", frame.id, "repl");
    expect(info.match(/Thread 1\.\d+ \(CPU#\d+/g)).toHaveLength(cpus);

    // setVariable on a struct field writes guest memory.
    const set = await session.client.setVariableRequest({
      variablesReference: pair.variablesReference,
      name: "left",
      value: "30",
    });
    expect(set.body.value).toBe("30");
    expect(await session.evaluate("pair->left + pair->right", frame.id)).toBe("52");

    // readMemory / writeMemory at a global's address; page 0 is unreadable in Toro.
    const address = (await session.evaluate("(unsigned long) &first_input", frame.id)).trim();
    const memory = (
      await session.client.customRequest("readMemory", {
        memoryReference: `0x${BigInt(address).toString(16)}`,
        count: 4,
      })
    ).body;
    expect(Buffer.from(memory.data, "base64").readInt32LE(0)).toBe(20);
    const data = Buffer.alloc(4);
    data.writeInt32LE(77);
    await session.client.customRequest("writeMemory", {
      memoryReference: memory.address,
      data: data.toString("base64"),
    });
    expect(await session.evaluate("first_input", frame.id)).toBe("77");
    const nothing = (await session.client.customRequest("readMemory", { memoryReference: "0x0", count: 16 }))
      .body;
    expect(nothing.unreadableBytes).toBe(16);

    // Disassembly around the instruction pointer, before and after it.
    const listing = (
      await session.client.disassembleRequest({
        memoryReference: frame.instructionPointerReference!,
        instructionOffset: -4,
        instructionCount: 10,
        resolveSymbols: true,
      })
    ).body!.instructions;
    expect(listing).toHaveLength(10);
    expect(listing[4].address).toBe(frame.instructionPointerReference);
    expect(listing[4].symbol).toMatch(/^add_pair/);
    expect(listing[4].line).toBe(tagLine("add-body"));
    await session.close();
  });
});
