// build-stamp.test.ts - the cheap up-to-date check (src/engine/build/build-stamp.ts) through buildApp with
// `reuseUnchanged`, in a scratch kernel/app tree with a stand-in make (a shell script that writes the two
// outputs and counts its runs): make is skipped only when nothing it could see changed; a touched, added or
// removed file, a changed environment variable or an edit made while make ran all make it run again.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/engine/build/build-runner";
import { identifyTree, STAMP_FILE, writeStamp, type StampScope } from "../../src/engine/build/build-stamp";
import { makeScratch, removeScratch } from "../helpers/paths";

let scratch: string;
let kernel: string;
let app: string;
let fakeMake: string;
let runs: string;

/** Writes `file` with a modification time `secondsAgo` in the past (so a rewrite always changes it). */
function writeFile(file: string, text: string, secondsAgo = 100): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const time = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(file, time, time);
}

beforeEach(() => {
  scratch = makeScratch("build-stamp");
  kernel = path.join(scratch, "kernel");
  app = path.join(scratch, "app");
  runs = path.join(scratch, "make-runs");
  writeFile(path.join(kernel, "Makefile"), "all:\n");
  writeFile(path.join(kernel, "include", "toro.h"), "/* header */\n");
  writeFile(path.join(app, "main.c"), "void main(void) {}\n");
  // Stand-in for make: the last argument is APP=<folder>; writes its outputs and counts the run.
  fakeMake = path.join(scratch, "fake-make.sh");
  fs.writeFileSync(
    fakeMake,
    '#!/bin/sh\nfor last; do :; done\ndir="${last#APP=}/build"\nmkdir -p "$dir"\n' +
      `echo elf > "$dir/kernel.elf"\necho boot > "$dir/boot.elf"\necho run >> "${runs}"\n`,
    { mode: 0o755 },
  );
});

afterEach(() => removeScratch(scratch));

const makeRuns = () => (fs.existsSync(runs) ? fs.readFileSync(runs, "utf8").split("\n").length - 1 : 0);
const build = () =>
  buildApp({ appDirectory: app, kernelDirectory: kernel, makePath: fakeMake, reuseUnchanged: true });

describe("the build stamp", () => {
  it("skips make when nothing changed, and runs it after any change", async () => {
    expect((await build()).upToDate).toBeUndefined();
    expect(makeRuns()).toBe(1);
    expect(fs.existsSync(path.join(app, "build", STAMP_FILE))).toBe(true);

    const skipped = await build();
    expect(skipped).toMatchObject({ success: true, exitCode: 0, output: "" });
    expect(skipped.upToDate?.entriesChecked).toBeGreaterThan(5);
    expect(makeRuns()).toBe(1);

    const changes: (() => void)[] = [
      () => writeFile(path.join(kernel, "include", "toro.h"), "/* edited header */\n", 50), // touched
      () => writeFile(path.join(app, "extra.c"), "int extra;\n"), // added
      () => fs.rmSync(path.join(app, "extra.c")), // removed
      () => fs.rmSync(path.join(app, "build", "boot.elf")), // an output removed
    ];
    for (const [index, change] of changes.entries()) {
      change();
      expect((await build()).upToDate, `change ${index}`).toBeUndefined();
      expect(makeRuns()).toBe(2 + index);
      expect((await build()).upToDate, `after change ${index}`).toBeDefined();
    }
  });

  it("runs make when the environment changes, but not for another temporary folder", async () => {
    await build();
    const saved = { TMPDIR: process.env.TMPDIR, CC: process.env.CC };
    try {
      process.env.TMPDIR = path.join(scratch, "elsewhere");
      expect((await build()).upToDate).toBeDefined();
      process.env.CC = "clang";
      expect((await build()).upToDate).toBeUndefined();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("writes no stamp when a source changed while make ran", async () => {
    const scope: StampScope = {
      kernelDirectory: kernel,
      appDirectory: app,
      buildDirectory: path.join(app, "build"),
      command: ["make"],
      environment: {},
    };
    const before = await identifyTree(scope);
    writeFile(path.join(app, "main.c"), "void main(void) { /* edited during the build */ }\n", 10);
    fs.mkdirSync(scope.buildDirectory, { recursive: true });
    expect(await writeStamp(scope, before)).toBe(false);
    expect(fs.existsSync(path.join(scope.buildDirectory, STAMP_FILE))).toBe(false);
    expect(await writeStamp(scope, await identifyTree(scope))).toBe(true);
  });
});
