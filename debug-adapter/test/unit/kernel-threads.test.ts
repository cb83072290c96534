// kernel-threads.test.ts - the pure parts of kernel threads in the Call Stack: the thread table GDB's Python
// prints (src/engine/launch/kernel-threads.ts), the level a shown thread's frames start at, the DAP ids and
// names of the threads (src/session/threads.ts), and the unwinder's one-line install command
// (src/engine/launch/kernel-thread-unwinder.ts) with the kernel structs it reads, checked against GDB's
// `ptype/o` of kernel/core/thread.h. The unwinding itself runs against real QEMU and GDB in
// test/session/kernel-threads.test.ts.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  installUnwinderCommand,
  KERNEL_THREAD_UNWINDER_PYTHON,
} from "../../src/engine/launch/kernel-thread-unwinder";
import { parseFirstLevel, parseThreadTable } from "../../src/engine/launch/kernel-threads";
import { KERNEL_THREAD_ID_BASE, kernelThreadOf, kernelThreadRows } from "../../src/session/threads";
import { readCLayout } from "../helpers/gdb-layout";
import { kernelDirectory, kernelInclude, makeScratch, removeScratch } from "../helpers/paths";

const TABLE =
  '{"threads": [{"id": 1, "core": 0, "name": "main", "state": 4, "context": 9202344}, ' +
  '{"id": 7, "core": 1, "name": "rest", "state": 3, "context": 9310024}, ' +
  '{"id": 8, "core": 2, "name": "burst", "state": 2, "context": 9330504}, ' +
  '{"id": 9, "core": 3, "name": "", "state": 9, "context": 9350984}]}';

describe("the kernel thread table", () => {
  it("parses GDB's line among other output, with state names from the ABI", () => {
    const threads = parseThreadTable(`warning: something\n${TABLE}\n`);
    expect(threads).toEqual([
      { id: 1, core: 0, name: "main", state: "blocked", context: 9202344n },
      { id: 7, core: 1, name: "rest", state: "sleeping", context: 9310024n },
      { id: 8, core: 2, name: "burst", state: "running", context: 9330504n },
      { id: 9, core: 3, name: "", state: "unknown", context: 9350984n },
    ]);
    expect(parseThreadTable('{"threads": []}')).toEqual([]);
  });

  it("refuses output without a table, or a thread without integer fields, saying what it got", () => {
    expect(() => parseThreadTable("Python Exception <class 'gdb.error'>: No symbol")).toThrow(
      /the kernel's thread table could not be read: GDB printed no table\nPython Exception/,
    );
    expect(() => parseThreadTable('{"threads": 3}')).toThrow(/no thread list/);
    expect(() => parseThreadTable('{"threads": [{"id": 1, "core": -1, "state": 1, "context": 5}]}')).toThrow(
      /a thread without integer id, core, state and context\n\{"id":1,"core":-1/,
    );
  });

  it("reads the first level of a shown thread", () => {
    expect(parseFirstLevel('{"firstLevel": 2}\n')).toBe(2);
    expect(() => parseFirstLevel("")).toThrow(/GDB did not show the kernel thread/);
  });
});

describe("kernel threads as DAP threads", () => {
  it("lists switched-out threads after the vCPUs' ids and leaves running ones to their vCPU", () => {
    const rows = kernelThreadRows(parseThreadTable(TABLE));
    expect(rows).toEqual([
      { id: KERNEL_THREAD_ID_BASE + 1, name: "Thread 1 · main · core 0 · blocked" },
      { id: KERNEL_THREAD_ID_BASE + 7, name: "Thread 7 · rest · core 1 · sleeping" },
      { id: KERNEL_THREAD_ID_BASE + 9, name: "Thread 9 · thread · core 3 · unknown" },
    ]);
    expect(KERNEL_THREAD_ID_BASE).toBeGreaterThan(256); // above every vCPU id (TORO_MAX_CPUS)
  });

  it("maps DAP thread ids back: vCPUs have none", () => {
    expect(kernelThreadOf(KERNEL_THREAD_ID_BASE + 7)).toBe(7);
    expect(kernelThreadOf(1)).toBeUndefined();
    expect(kernelThreadOf(256)).toBeUndefined();
  });
});

describe("the unwinder's install command", () => {
  it("is one console line that carries the Python source exactly", () => {
    const command = installUnwinderCommand();
    expect(command).not.toMatch(/[\r\n]/);
    const hex = /^python exec\(bytes\.fromhex\("([0-9a-f]+)"\)\.decode\(\)\)$/.exec(command)![1];
    expect(Buffer.from(hex, "hex").toString("utf8")).toBe(KERNEL_THREAD_UNWINDER_PYTHON);
    // The saved registers in struct context's order (kernel/core/thread.h, pushed by switch.S).
    expect(KERNEL_THREAD_UNWINDER_PYTHON).toContain(
      'SAVED = ("r15", "r14", "r13", "r12", "rbx", "rbp", "rip")',
    );
  });
});

describe("the unwinder against the kernel's structs", () => {
  it("reads struct context in switch.S's order and the struct thread fields it names", () => {
    const scratch = makeScratch("kernel-threads");
    try {
      const source = path.join(scratch, "thread-types.c");
      const objectFile = path.join(scratch, "thread-types.o");
      fs.writeFileSync(
        source,
        '#include "thread.h"\nstruct context context_type;\nstruct thread thread_type;\n',
      );
      const core = path.join(kernelDirectory, "core");
      execFileSync("gcc", [
        "-g",
        "-c",
        "-std=gnu11",
        "-ffreestanding",
        `-I${kernelInclude}`,
        `-I${core}`,
        source,
        "-o",
        objectFile,
      ]);
      const { structs } = readCLayout(objectFile, ["context", "thread"], []);
      const context = structs.get("context")!;
      const saved = /SAVED = \(([^)]*)\)/.exec(KERNEL_THREAD_UNWINDER_PYTHON)![1].match(/"(\w+)"/g)!;
      const registers = saved.map((name) => name.replaceAll('"', "").replace("rip", "return_address"));
      expect([...context.fields.entries()].map(([name, field]) => [name, field.offset, field.size])).toEqual(
        registers.map((name, index) => [name, index * 8, 8]),
      );
      expect(context.size).toBe(8 * registers.length); // rsp after the switch's ret: context + 56
      const fields = [...structs.get("thread")!.fields.keys()];
      for (const name of ["id", "core", "name", "state", "context"]) {
        expect(fields).toContain(name);
        expect(KERNEL_THREAD_UNWINDER_PYTHON).toContain(`thread["${name}"]`);
      }
    } finally {
      removeScratch(scratch);
    }
  });
});
