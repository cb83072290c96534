// layout.test.ts - proves the TypeScript decoder's layout (src/engine/telemetry/layout.ts) and the C layout
// (kernel/include/telemetry_abi.h) agree: every field offset and size of every struct and every enum value,
// from GDB `ptype/o` on an object compiled with gcc -g, and again on the real kernel.elf when it is built.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as layout from "../../src/engine/telemetry/layout";
import { CStruct, readCLayout } from "../helpers/gdb-layout";
import {
  fixturesDirectory,
  kernelInclude,
  makeScratch,
  removeScratch,
  selftestBuild,
} from "../helpers/paths";

const structNames = layout.ALL_LAYOUTS.map((struct) => struct.name);
const enumNames = Object.keys(layout.C_ENUMERATORS);

function expectSameLayout(structs: Map<string, CStruct>, enums: Map<string, Map<string, number>>) {
  for (const expected of layout.ALL_LAYOUTS) {
    const actual = structs.get(expected.name)!;
    expect(actual.size, `sizeof(struct ${expected.name})`).toBe(expected.size);
    const fromTypeScript = Object.entries(expected.fields).map(([name, field]) => [
      name,
      field.offset,
      field.size,
    ]);
    const fromC = [...actual.fields.entries()].map(([name, field]) => [name, field.offset, field.size]);
    expect(fromTypeScript, `fields of struct ${expected.name} (name, offset, size)`).toEqual(fromC);
  }
  for (const [enumName, enumerators] of Object.entries(layout.C_ENUMERATORS)) {
    const values = enums.get(enumName)!;
    expect([...values.keys()], `enumerators of enum ${enumName}`).toEqual([...enumerators]);
    enumerators.forEach((enumerator, index) => expect(values.get(enumerator), enumerator).toBe(index));
  }
}

describe("telemetry layout: layout.ts against telemetry_abi.h", () => {
  let scratch: string;
  let objectFile: string;

  beforeAll(() => {
    scratch = makeScratch("layout");
    objectFile = path.join(scratch, "telemetry-types.o");
    execFileSync("gcc", [
      "-g",
      "-c",
      "-std=c11",
      `-I${kernelInclude}`,
      path.join(fixturesDirectory, "telemetry-types.c"),
      "-o",
      objectFile,
    ]);
  });
  afterAll(() => removeScratch(scratch));

  it("has the same offsets, sizes and enum values as GDB reports for a gcc -g object", () => {
    const { structs, enums } = readCLayout(objectFile, structNames, enumNames);
    expectSameLayout(structs, enums);
  });

  it("has the same constants as the header's #defines", () => {
    const macros = execFileSync("gcc", ["-E", "-dM", path.join(kernelInclude, "telemetry_abi.h")], {
      encoding: "utf8",
    });
    const define = (name: string) => {
      const match = new RegExp(`^#define ${name} (\\S+)`, "m").exec(macros);
      if (match === null) throw new Error(`${name} is not defined in telemetry_abi.h`);
      return match[1].replace(/u(ll)?$/i, "");
    };
    expect(BigInt(define("TORO_TELEMETRY_MAGIC"))).toBe(layout.TELEMETRY_MAGIC);
    expect(Number(define("TORO_TELEMETRY_ABI_VERSION"))).toBe(layout.TELEMETRY_ABI_VERSION);
    expect(Number(define("TORO_MAX_CPUS"))).toBe(layout.MAX_CPUS);
    expect(Number(define("TORO_MAX_LOCKS"))).toBe(layout.MAX_LOCKS);
    expect(Number(define("TORO_MAX_THREADS"))).toBe(layout.MAX_THREADS);
    expect(Number(define("TORO_NAME_LENGTH"))).toBe(layout.NAME_LENGTH);
    expect(Number(define("TORO_PANIC_MESSAGE_LENGTH"))).toBe(layout.PANIC_MESSAGE_LENGTH);
    expect(BigInt(define("TORO_TRACE_MAGIC"))).toBe(layout.TRACE_MAGIC);
    expect(Number(define("TORO_TRACE_VERSION"))).toBe(layout.TRACE_VERSION);
    expect(Number(define("TORO_TRACE_RING_RECORDS"))).toBe(layout.TRACE_RING_RECORDS);
    expect(Number(define("TORO_CMDLINE_LENGTH"))).toBe(layout.CMDLINE_LENGTH);
    expect(Buffer.from("TOROTELM").readBigUInt64LE(0)).toBe(layout.TELEMETRY_MAGIC);
  });

  const kernelElf = path.join(selftestBuild, "kernel.elf");
  // The root build (`npm run build`) makes the self-test kernel before the tests, so in CI it always exists.
  it.runIf(fs.existsSync(kernelElf) || process.env.CI !== undefined)(
    "has the same layout as the DWARF of the real kernel.elf",
    () => {
      expect(fs.existsSync(kernelElf), `${kernelElf} (run make -C kernel selftest)`).toBe(true);
      const { structs, enums } = readCLayout(kernelElf, structNames, enumNames);
      expectSameLayout(structs, enums);
    },
  );
});
