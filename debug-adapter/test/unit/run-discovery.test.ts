// run-discovery.test.ts - run.json (describeRun, written and read back) and the exporter's discovery of run
// folders: a live run is listed, oldest first; a folder without run.json, with a malformed one, of a dead
// pid, without its RAM file or naming another folder's, or not named like a run folder is skipped.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverRuns } from "../../src/engine/exporter/run-discovery";
import {
  describeRun,
  readRunDescription,
  RunDescription,
  writeRunDescription,
} from "../../src/engine/qemu/run-description";
import { makeScratch, removeScratch } from "../helpers/paths";

let scratch: string;
beforeEach(() => (scratch = makeScratch("run-discovery")));
afterEach(() => removeScratch(scratch));

function runFolder(name: string, description: Partial<RunDescription> | undefined): string {
  const directory = path.join(scratch, name);
  fs.mkdirSync(directory, { mode: 0o700 });
  const ramPath = path.join(directory, "guest-ram");
  fs.writeFileSync(ramPath, "");
  if (description !== undefined) {
    const facts = describeRun({
      kernelPath: "/apps/idle-demo/build/boot.elf",
      profile: "default",
      idlePolicy: "tickless",
      cpus: 2,
      pid: process.pid,
      ramPath,
      qmpSocketPath: path.join(directory, "qmp.sock"),
      gdbPort: undefined,
      startedAtMs: 1000,
    });
    writeRunDescription(directory, { ...facts, ...description });
  }
  return directory;
}

describe("run.json", () => {
  it("describes the app as the folder above build/ and names kernel.elf next to the booted image", () => {
    const directory = runFolder("toro-qemu-a", {});
    const description = readRunDescription(directory)!;
    expect(description).toMatchObject({
      version: 1,
      app: "/apps/idle-demo",
      profile: "default",
      idlePolicy: "tickless",
      cpus: 2,
      pid: process.pid,
      gdbPort: null,
      kernelElfPath: "/apps/idle-demo/build/kernel.elf",
      startedAtMs: 1000,
    });
    expect(fs.statSync(path.join(directory, "run.json")).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(directory).sort()).toEqual(["guest-ram", "run.json"]); // no temporary file left
  });
});

describe("discoverRuns", () => {
  it("lists live runs of this user, oldest first, and skips everything else", () => {
    const newer = runFolder("toro-qemu-newer", { startedAtMs: 2000 });
    const older = runFolder("toro-qemu-older", { startedAtMs: 1000 });
    runFolder("toro-qemu-none", undefined);
    runFolder("toro-qemu-dead", { pid: 2 ** 22 + 12345 }); // above pid_max's default: no such process
    const noRam = runFolder("toro-qemu-noram", {});
    fs.rmSync(path.join(noRam, "guest-ram"));
    fs.writeFileSync(path.join(runFolder("toro-qemu-bad", undefined), "run.json"), "{ not json");
    runFolder("other-folder", {});
    runFolder("toro-qemu-elsewhere", { ramPath: path.join(older, "guest-ram") }); // another folder's RAM file
    expect(discoverRuns(scratch).map((run) => run.directory)).toEqual([older, newer]);
    expect(discoverRuns(path.join(scratch, "missing"))).toEqual([]);
  });
});
