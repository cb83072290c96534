// diagnostics.test.ts - parsing gcc, GNU as and GNU ld messages into structured diagnostics, including the
// output of a real failing gcc run.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/build/build-runner";
import { formatDiagnostic, parseDiagnostics } from "../../src/engine/build/diagnostics";
import { makeScratch, removeScratch } from "../helpers/paths";

describe("parseDiagnostics", () => {
  it("parses compiler errors, warnings with their option, notes and fatal errors", () => {
    const output = [
      "make: Entering directory '/repo/kernel'",
      "cc -c core/idle.c -o build/obj/core/idle.o",
      "core/idle.c: In function 'idle_loop':",
      "core/idle.c:42:9: error: 'x' undeclared (first use in this function)",
      "core/idle.c:50:13: warning: unused variable 'y' [-Wunused-variable]",
      "core/idle.c:42:9: note: each undeclared identifier is reported only once",
      "/apps/hello/main.c:3:10: fatal error: missing.h: No such file or directory",
      "make: *** [Makefile:40: build/obj/core/idle.o] Error 1",
    ].join("\n");
    expect(parseDiagnostics(output, "/repo/kernel")).toEqual([
      {
        file: "core/idle.c",
        absolutePath: "/repo/kernel/core/idle.c",
        line: 42,
        column: 9,
        severity: "error",
        message: "'x' undeclared (first use in this function)",
        option: null,
      },
      {
        file: "core/idle.c",
        absolutePath: "/repo/kernel/core/idle.c",
        line: 50,
        column: 13,
        severity: "warning",
        message: "unused variable 'y'",
        option: "-Wunused-variable",
      },
      expect.objectContaining({ severity: "note", line: 42 }),
      expect.objectContaining({
        file: "/apps/hello/main.c",
        absolutePath: "/apps/hello/main.c",
        severity: "error",
        message: "missing.h: No such file or directory",
      }),
    ]);
  });

  it("parses assembler and linker messages without a column", () => {
    const output = [
      "arch/boot.S:17: Error: no such instruction: `movz %eax'",
      "arch/boot.S:20: Warning: shift count out of range",
      "ld: build/obj/app/main.o: in function `main':",
      "/apps/hello/main.c:8:(.text+0x15): undefined reference to `missing_function'",
    ].join("\n");
    const diagnostics = parseDiagnostics(output, "/repo/kernel");
    expect(diagnostics.map((d) => [d.absolutePath, d.line, d.column, d.severity])).toEqual([
      ["/repo/kernel/arch/boot.S", 17, null, "error"],
      ["/repo/kernel/arch/boot.S", 20, null, "warning"],
      ["/apps/hello/main.c", 8, null, "error"],
    ]);
    expect(diagnostics[2].message).toBe("undefined reference to `missing_function'");
    expect(formatDiagnostic(diagnostics[0])).toBe(
      "/repo/kernel/arch/boot.S:17: error: no such instruction: `movz %eax'",
    );
  });

  describe("on real gcc output", () => {
    let scratch: string;
    beforeAll(() => (scratch = makeScratch("diagnostics")));
    afterAll(() => removeScratch(scratch));

    it("finds the error and the warning gcc printed", () => {
      const source = path.join(scratch, "broken.c");
      fs.writeFileSync(source, "int f(void) {\n  int unused;\n  return undeclared;\n}\n");
      let output = "";
      try {
        execFileSync("gcc", ["-Wall", "-c", "broken.c", "-o", "broken.o"], { cwd: scratch, stdio: "pipe" });
      } catch (error) {
        output = String((error as { stderr: Buffer }).stderr);
      }
      const diagnostics = parseDiagnostics(output, scratch);
      expect(diagnostics).toContainEqual(
        expect.objectContaining({ absolutePath: source, line: 3, column: 10, severity: "error" }),
      );
      expect(diagnostics).toContainEqual(
        expect.objectContaining({ line: 2, severity: "warning", option: "-Wunused-variable" }),
      );
    });
  });
});

describe("buildPlan", () => {
  it("builds apps with APP= and the self-test app with the selftest target", () => {
    expect(buildPlan("/repo/samples/hello", "/repo/kernel", 2)).toEqual({
      args: ["-C", "/repo/kernel", "-j2", "APP=/repo/samples/hello"],
      outputs: {
        kernelElf: "/repo/samples/hello/build/kernel.elf",
        bootElf: "/repo/samples/hello/build/boot.elf",
      },
      buildDirectory: "/repo/samples/hello/build",
    });
    expect(buildPlan("/repo/kernel/selftest", "/repo/kernel", 1)).toEqual({
      args: ["-C", "/repo/kernel", "-j1", "selftest"],
      outputs: {
        kernelElf: "/repo/kernel/build/selftest/kernel.elf",
        bootElf: "/repo/kernel/build/selftest/boot.elf",
      },
      buildDirectory: "/repo/kernel/build/selftest",
    });
  });
});
