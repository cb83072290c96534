// elf.test.ts - the ELF64 reader on objects built here with gcc and ld: symbol address and size (checked
// against nm), virtual-to-physical translation through program headers, and clear errors for files that
// are not ELF64, are truncated, or lack the symbol.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ElfFile, ElfFormatError } from "../../src/engine/elf/elf-file";
import {
  findSymbol,
  readSymbols,
  SymbolNotFoundError,
  virtualToPhysical,
} from "../../src/engine/elf/symbols";
import { locateTelemetry } from "../../src/engine/telemetry/telemetry-reader";
import { fixturesDirectory, makeScratch, removeScratch } from "../helpers/paths";

let scratch: string;
let objectFile: string;
let executable: string;

/** nm -S: name -> [value, size] as bigint/number. */
function nmSymbols(file: string): Map<string, [bigint, number]> {
  const symbols = new Map<string, [bigint, number]>();
  for (const line of execFileSync("nm", ["-S", file], { encoding: "utf8" }).split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts.length === 4) symbols.set(parts[3], [BigInt(`0x${parts[0]}`), Number(`0x${parts[1]}`)]);
  }
  return symbols;
}

beforeAll(() => {
  scratch = makeScratch("elf");
  objectFile = path.join(scratch, "elf-symbols.o");
  executable = path.join(scratch, "higher-half.elf");
  const source = path.join(fixturesDirectory, "elf-symbols.c");
  execFileSync("gcc", [
    "-g",
    "-O1",
    "-ffreestanding",
    "-fno-pic",
    "-mcmodel=kernel",
    "-c",
    source,
    "-o",
    objectFile,
  ]);
  execFileSync("ld", [
    "--no-warn-rwx-segments",
    "-T",
    path.join(fixturesDirectory, "higher-half.ld"),
    objectFile,
    "-o",
    executable,
  ]);
});
afterAll(() => removeScratch(scratch));

describe("ElfFile and symbols on a gcc object", () => {
  it("finds toro_telemetry with its size and section, like nm", () => {
    const elf = ElfFile.read(objectFile);
    expect(elf.type).toBe("relocatable");
    expect(elf.isX86_64).toBe(true);
    const symbol = findSymbol(elf, "toro_telemetry");
    expect(symbol).toMatchObject({ size: 25160, type: "object", binding: "global" });
    expect(elf.sections[symbol.sectionIndex].name).toBe(".telemetry");
    expect(nmSymbols(objectFile).get("toro_telemetry")).toEqual([symbol.value, symbol.size]);
  });

  it("reads local symbols and functions too", () => {
    const symbols = readSymbols(ElfFile.read(objectFile));
    expect(symbols.find((symbol) => symbol.name === "local_counter")).toMatchObject({
      binding: "local",
      size: 4,
    });
    expect(symbols.find((symbol) => symbol.name === "bump")).toMatchObject({
      type: "function",
      binding: "global",
    });
  });
});

describe("ElfFile on a linked higher-half executable", () => {
  it("gives addresses that match nm and maps them to physical load addresses", () => {
    const elf = ElfFile.read(executable);
    expect(elf.type).toBe("executable");
    const symbol = findSymbol(elf, "toro_telemetry");
    expect([symbol.value, symbol.size]).toEqual(nmSymbols(executable).get("toro_telemetry"));
    expect(symbol.value >= 0xffffffff80100000n).toBe(true);
    expect(symbol.value % 4096n).toBe(0n);
    expect(virtualToPhysical(elf, symbol.value)).toBe(symbol.value - 0xffffffff80000000n);
    expect(virtualToPhysical(elf, 0x1234n)).toBeUndefined();
  });

  it("locates the telemetry block at its physical address", () => {
    const location = locateTelemetry(executable);
    const symbol = findSymbol(ElfFile.read(executable), "toro_telemetry");
    expect(location).toEqual({
      virtualAddress: symbol.value,
      physicalAddress: Number(symbol.value - 0xffffffff80000000n),
      size: 25160,
    });
  });
});

describe("ElfFile errors", () => {
  it("rejects a file that is not ELF", () => {
    const file = path.join(scratch, "not-elf.txt");
    fs.writeFileSync(file, "hello ".repeat(20));
    expect(() => ElfFile.read(file)).toThrow(ElfFormatError);
    expect(() => ElfFile.read(file)).toThrow(/not an ELF file/);
    expect(() => ElfFile.read(path.join(scratch, "missing.elf"))).toThrow(/cannot read/);
  });

  it("rejects a 32-bit ELF with a hint to use kernel.elf", () => {
    const source = path.join(scratch, "tiny.S");
    const object = path.join(scratch, "tiny32.o");
    fs.writeFileSync(source, ".text\n.globl start\nstart: ret\n");
    execFileSync("as", ["--32", source, "-o", object]);
    expect(() => ElfFile.read(object)).toThrow(/32-bit ELF file; expected ELF64 \(use kernel\.elf/);
  });

  it("rejects a truncated file", () => {
    const data = fs.readFileSync(executable);
    expect(() => ElfFile.parse(data.subarray(0, data.length - 100), "cut.elf")).toThrow(
      /cut\.elf is truncated/,
    );
  });

  it("says which symbol is missing", () => {
    expect(() => findSymbol(ElfFile.read(objectFile), "no_such_symbol")).toThrow(SymbolNotFoundError);
    expect(() => findSymbol(ElfFile.read(objectFile), "no_such_symbol")).toThrow(
      /symbol "no_such_symbol" not found in .*elf-symbols\.o/,
    );
  });
});
