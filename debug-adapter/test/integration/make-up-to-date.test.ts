// make-up-to-date.test.ts - the kernel Makefile lets `make -q` answer "nothing to build" right after a build
// (F5 in VS Code asks it before deciding whether to run the build task: extension/src/tasks/build-task.ts),
// and "something to build" once a source or the compiler flags change. A FORCE'd rule (as build-flags once
// had) would make it always answer "something". Real make and gcc, on a copy of samples/hello.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, buildPlan } from "../../src/engine/build/build-runner";
import { kernelDirectory, makeScratch, removeScratch, samplesDirectory } from "../helpers/paths";

/** What `make all` produces in the app's build folder (the Makefile's `all`, less its phony check). */
const OUTPUTS = ["kernel.elf", "boot.elf", "kernel.asm", "kernel.map"];

let scratch: string;
let app: string;

beforeAll(async () => {
  scratch = makeScratch("make-q");
  app = path.join(scratch, "hello");
  fs.cpSync(path.join(samplesDirectory, "hello"), app, {
    recursive: true,
    filter: (source) => path.basename(source) !== "build",
  });
  const built = await buildApp({ appDirectory: app, kernelDirectory });
  expect(built.success, built.output).toBe(true);
}, 300_000);

afterAll(() => removeScratch(scratch));

/** make's exit status for `make -q` on the build's outputs, with the build's own arguments plus `extra`. */
function askMake(extra: string[] = []): number | null {
  const { args, buildDirectory } = buildPlan(app, kernelDirectory, 2);
  const outputs = OUTPUTS.map((file) => path.join(buildDirectory, file));
  return spawnSync("make", [...args, ...extra, "-q", ...outputs], { stdio: "ignore" }).status;
}

describe("make -q after a build", () => {
  it("answers 'nothing to build', then 'something' after a source or the flags change", () => {
    expect(askMake()).toBe(0);
    expect(askMake()).toBe(0); // asking changes nothing
    expect(askMake(["CFLAGS=-O1"])).toBe(1);
    const main = path.join(app, "main.c");
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(main, later, later);
    expect(askMake()).toBe(1);
  });
});
