// build-task.test.ts - what a `toro` task runs (src/tasks/build-task.ts).
import { describe, expect, it } from "vitest";
import {
  isToroTaskDefinition,
  makeInvocation,
  substituteWorkspaceFolder,
  taskName,
  upToDateQuestion,
} from "../../src/tasks/build-task";

describe("upToDateQuestion", () => {
  it("asks make -q about the build's real outputs, with the build's own variables", () => {
    expect(upToDateQuestion("/app", { kernelDirectory: "/k", toolchainPrefix: "x-", jobs: 2 }).args).toEqual([
      "-C",
      "/k",
      "-j2",
      "APP=/app",
      "CC=x-gcc",
      "LD=x-ld",
      "OBJCOPY=x-objcopy",
      "OBJDUMP=x-objdump",
      "NM=x-nm",
      "-q",
      "/app/build/kernel.elf",
      "/app/build/boot.elf",
      "/app/build/kernel.asm",
      "/app/build/kernel.map",
    ]);
  });
});

describe("makeInvocation", () => {
  it("builds the app with the kernel's Makefile, output in the app's own build folder", () => {
    expect(
      makeInvocation("build", "/home/me/app", {
        kernelDirectory: "/ext/kernel",
        toolchainPrefix: "",
        jobs: 2,
      }),
    ).toEqual({
      command: "make",
      args: ["-C", "/ext/kernel", "-j2", "APP=/home/me/app"],
    });
  });

  it("passes a toolchain prefix as make variables and cleans with the same variables", () => {
    const plan = makeInvocation("clean", "/app", {
      kernelDirectory: "/k",
      toolchainPrefix: "x86_64-elf-",
      jobs: 1,
    });
    expect(plan.args).toEqual([
      "-C",
      "/k",
      "-j1",
      "APP=/app",
      "CC=x86_64-elf-gcc",
      "LD=x86_64-elf-ld",
      "OBJCOPY=x86_64-elf-objcopy",
      "OBJDUMP=x86_64-elf-objdump",
      "NM=x86_64-elf-nm",
      "clean",
    ]);
  });
});

describe("task definitions", () => {
  it("substitutes ${workspaceFolder} and refuses it without a folder", () => {
    expect(substituteWorkspaceFolder("${workspaceFolder}/app", "/w")).toBe("/w/app");
    expect(substituteWorkspaceFolder("/abs", null)).toBe("/abs");
    expect(() => substituteWorkspaceFolder("${workspaceFolder}", null)).toThrow(/no folder is open/);
  });

  it("recognises valid definitions only", () => {
    expect(isToroTaskDefinition({ type: "toro", command: "build", app: "x" })).toBe(true);
    expect(isToroTaskDefinition({ type: "toro", command: "flash", app: "x" })).toBe(false);
    expect(isToroTaskDefinition({ type: "shell", command: "build", app: "x" })).toBe(false);
    expect(isToroTaskDefinition(null)).toBe(false);
    expect(taskName("build", "idle-demo")).toBe("build idle-demo");
  });
});
