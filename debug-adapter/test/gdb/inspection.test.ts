// inspection.test.ts - the GDB layer's read/write side against real GDB and QEMU with 2 vCPUs: threads are
// vCPUs, stack frames, frame variables, expressions, variable objects, registers, memory read/write,
// disassembly and raw console commands. Shared setup in support/session.ts; stop lines come from TAGs.

import { describe, expect, it } from "vitest";

import {
  assignVariableObject,
  continueExecution,
  cpuForThreadId,
  createVariableObject,
  deleteBreakpoints,
  deleteVariableObject,
  disassembleFunction,
  disassembleRange,
  evaluateExpression,
  executeConsoleCommand,
  GdbError,
  insertBreakpoint,
  listFrames,
  listFrameVariables,
  listRegisterNames,
  listThreads,
  listVariableChildren,
  parseAddress,
  readMemory,
  readRegisterValues,
  selectThread,
  stackDepth,
  threadIdForCpu,
  updateVariableObjects,
  writeMemory,
  type StopEvent,
} from "../../src/gdb";
import { tagLine } from "./support/fixture";
import { useSharedSession } from "./support/session";

/** The stop at add_one's body that every test here inspects. */
let stop: StopEvent;

const session = useSharedSession(2, {
  prepare: async ({ gdb }) => {
    // Let the loop run a few rounds first, so the values inspected are not all zero.
    const warmUp = await insertBreakpoint(gdb, {
      location: { kind: "function", name: "tick" },
      ignoreCount: 4,
    });
    await gdb.untilStopped(() => continueExecution(gdb));
    await deleteBreakpoints(gdb, [warmUp.number]);
    const breakpoint = await insertBreakpoint(gdb, {
      location: { kind: "source-line", file: "counter-kernel.c", line: await tagLine("add-one-body") },
    });
    stop = await gdb.untilStopped(() => continueExecution(gdb));
    expect(stop.breakpointNumber).toBe(breakpoint.number);
  },
});

describe("inspecting a stopped VM", () => {
  it("shows one thread per vCPU, numbered by the documented mapping", async () => {
    const { threads, currentThreadId } = await listThreads(session.gdb);
    expect(threads.map((thread) => thread.id)).toEqual([1, 2]);
    for (const thread of threads) {
      expect(thread.cpuIndex).toBe(cpuForThreadId(thread.id));
      expect(threadIdForCpu(thread.cpuIndex)).toBe(thread.id);
      // QEMU's own description of the thread names the same CPU.
      expect(thread.details).toMatch(new RegExp(`^CPU#${thread.cpuIndex} `));
      expect(thread.state).toBe("stopped");
    }
    expect(currentThreadId).toBe(stop.threadId);
    expect(threads[0].frame?.functionName).toBe("add_one");
    // The second vCPU was never started by the kernel: QEMU keeps it halted, outside our code.
    expect(threads[1].details).toContain("halted");
    expect(threads[1].frame?.functionName).toBeUndefined();

    const otherFrame = await selectThread(session.gdb, 2);
    expect(otherFrame?.address).toBe(threads[1].frame?.address);
    await selectThread(session.gdb, 1);
  });

  it("lists the call stack of a vCPU", async () => {
    const frames = await listFrames(session.gdb, 1);
    expect(frames.slice(0, 3).map((frame) => frame.functionName)).toEqual(["add_one", "tick", "kernel_main"]);
    expect(frames.map((frame) => frame.level)).toEqual(frames.map((_, index) => index));
    expect(frames[0].address).toBe(stop.frame?.address);
    expect(frames[1].line).toBe(await tagLine("tick-call"));
    expect(await stackDepth(session.gdb, 1)).toBe(frames.length);
    expect(await listFrames(session.gdb, 1, { lowLevel: 1, highLevel: 1 })).toEqual([frames[1]]);
  });

  it("lists a frame's arguments and locals, and evaluates in a chosen frame", async () => {
    const inner = await listFrameVariables(session.gdb, { threadId: 1, frameLevel: 0 });
    expect(inner.find((variable) => variable.name === "value")).toMatchObject({
      isArgument: true,
      type: "uint64_t",
    });
    expect(inner.find((variable) => variable.name === "next")?.isArgument).toBe(false);
    const outer = await listFrameVariables(session.gdb, { threadId: 1, frameLevel: 1 }, "all");
    const before = outer.find((variable) => variable.name === "before");
    // add_one(before) was called with tick's `before`, which is the counter.
    expect(before?.value).toBe(
      await evaluateExpression(session.gdb, "value", { threadId: 1, frameLevel: 0 }),
    );
    expect(before?.value).toBe(await evaluateExpression(session.gdb, "counter"));
    expect(Number(before?.value)).toBeGreaterThanOrEqual(4);
  });

  it("evaluates expressions", async () => {
    expect(await evaluateExpression(session.gdb, "point.y * 10")).toBe("40");
    expect(await evaluateExpression(session.gdb, "sizeof(struct sample_point)")).toBe("8");
    expect(await evaluateExpression(session.gdb, 'sizeof("quoted \\"text\\"")')).toBe("14");
  });

  it("expands and assigns through variable objects", async () => {
    const point = await createVariableObject(session.gdb, "point");
    expect(point).toMatchObject({ childCount: 2, type: "struct sample_point" });
    const children = await listVariableChildren(session.gdb, point.name, "all");
    expect(children.map((child) => [child.expression, child.type])).toEqual([
      ["x", "uint32_t"],
      ["y", "uint32_t"],
    ]);
    expect(children[1].value).toBe("4");

    expect(await assignVariableObject(session.gdb, children[1].name, "7")).toBe("7");
    expect(await evaluateExpression(session.gdb, "point.y")).toBe("7");
    // A change made behind the variable object's back shows up in the next update.
    expect(await evaluateExpression(session.gdb, "point.y = 9")).toBe("9");
    expect(await updateVariableObjects(session.gdb)).toContainEqual({
      name: children[1].name,
      value: "9",
      inScope: "true",
      typeChanged: false,
    });
    expect(await assignVariableObject(session.gdb, children[1].name, "4")).toBe("4");
    expect(await evaluateExpression(session.gdb, "point.y")).toBe("4");
    expect(await deleteVariableObject(session.gdb, point.name)).toBe(3);
  });

  it("reads registers by name, for the innermost and an outer frame", async () => {
    const names = await listRegisterNames(session.gdb);
    const numberOf = (name: string): number => {
      const register = names.find((entry) => entry.name === name);
      expect(register, name).toBeDefined();
      return register?.number ?? -1;
    };
    const rip = numberOf("rip");
    numberOf("rsp");
    numberOf("rax");
    const [innerRip] = await readRegisterValues(session.gdb, { registerNumbers: [rip] });
    expect(BigInt(innerRip.value)).toBe(stop.frame?.address);
    const [outerRip] = await readRegisterValues(session.gdb, {
      registerNumbers: [rip],
      selector: { threadId: 1, frameLevel: 1 },
    });
    const frames = await listFrames(session.gdb, 1, { lowLevel: 1, highLevel: 1 });
    expect(BigInt(outerRip.value)).toBe(frames[0].address);
    const all = await readRegisterValues(session.gdb, { format: "natural" });
    expect(all.length).toBeGreaterThan(16);
  });

  it("writes memory and reads it back", async () => {
    const pattern = Uint8Array.from([1, 2, 3, 4, 0xfe, 0xff, 0x80, 0x7f]);
    await writeMemory(session.gdb, "&scratch", pattern);
    const [block] = await readMemory(session.gdb, "&scratch", 16);
    expect([...block.bytes.subarray(0, 8)]).toEqual([...pattern]);
    expect(block.bytes).toHaveLength(16);
    expect(await evaluateExpression(session.gdb, "scratch[3] + scratch[6]")).toBe(String(4 + 0x80));

    const scratchAddress = parseAddress(
      /0x[0-9a-f]+/.exec(await evaluateExpression(session.gdb, "&scratch"))?.[0],
    );
    expect(block.address).toBe(scratchAddress);
    const [tail] = await readMemory(session.gdb, block.address + 4n, 4);
    expect(tail.address).toBe(block.address + 4n);
    expect([...tail.bytes]).toEqual([0xfe, 0xff, 0x80, 0x7f]);
  });

  it("disassembles a function, with its source lines, and an address range", async () => {
    const tickAddress = (await listFrames(session.gdb, 1, { lowLevel: 1, highLevel: 1 }))[0].address ?? 0n;
    const plain = await disassembleFunction(session.gdb, "tick");
    expect(plain[0].functionName).toBe("tick");
    expect(plain[0].offset).toBe(0);
    expect(plain[0].opcodes).toMatch(/^[0-9a-f]{2}( [0-9a-f]{2})*$/);
    expect(plain.some((instruction) => /^call/.test(instruction.text))).toBe(true);
    // tick's return address (frame 1) lies inside tick's listing.
    expect(plain[0].address).toBeLessThan(tickAddress);
    expect(plain[plain.length - 1].address).toBeGreaterThanOrEqual(tickAddress);

    const withSource = await disassembleFunction(session.gdb, tickAddress, "with-source");
    const callLine = await tagLine("tick-call");
    const call = withSource.find((instruction) => /^call/.test(instruction.text));
    expect(call?.source?.line).toBe(callLine);
    expect(withSource.map((instruction) => instruction.address)).toEqual(
      plain.map((instruction) => instruction.address),
    );

    const start = plain[0].address;
    const range = await disassembleRange(session.gdb, start, start + 8n);
    expect(range.length).toBeGreaterThan(0);
    expect(
      range.every((instruction) => instruction.address >= start && instruction.address < start + 8n),
    ).toBe(true);
  });

  it("runs raw console commands and returns their output", async () => {
    const registers = await executeConsoleCommand(session.gdb, "info registers rip");
    expect(registers).toMatch(/^rip\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <add_one\+\d+>/);
    expect(await executeConsoleCommand(session.gdb, 'printf "%d-%d\\n", point.y, sizeof(point)')).toBe(
      "4-8\n",
    );
    // Raw bytes that are not UTF-8 (written to scratch[4..7] above) reach MI as octal escapes, which crash
    // gdb-js's decoder unless the line guard replaces them.
    expect(await executeConsoleCommand(session.gdb, 'printf "%s|\\n", (char *)&scratch[4]')).toBe(
      "???\x7f|\n",
    );
    // gdb-js's own framing markers in console text would make it emit 'error' and crash the process.
    expect(
      await executeConsoleCommand(session.gdb, "echo <gdbjs:event:error boom error:event:gdbjs>\\n"),
    ).toBe("<\u200bgdbjs:event:error boom error:event:gdbjs>\n");
    await expect(executeConsoleCommand(session.gdb, "no-such-command")).rejects.toBeInstanceOf(GdbError);
    await expect(executeConsoleCommand(session.gdb, "info registers\nkill")).rejects.toThrow("single line");
    expect(session.gdb.state).toBe("stopped");
  });
});
