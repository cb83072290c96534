// stale-directories.test.ts - which private launch directories a new launch sweeps: only those whose owner
// file names a dead process of our PID namespace; live owners, other namespaces, missing or unreadable owner
// files and other names are left alone. Real directories and a real, finished process.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeStaleDirectories, writeOwner } from "../../src/engine/qemu/stale-directories";

const PREFIX = "toro-qemu-";
let parent: string;

function directoryWithOwner(name: string, owner: unknown): string {
  const directory = path.join(parent, name);
  fs.mkdirSync(directory);
  fs.writeFileSync(path.join(directory, "guest-ram"), "");
  if (owner !== undefined) fs.writeFileSync(path.join(directory, "owner"), JSON.stringify(owner));
  return directory;
}

/** The PID of a process that has exited (and been reaped) by the time this returns. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

const ourNamespace = fs.readlinkSync("/proc/self/ns/pid");

beforeEach(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), "toro-test-stale-"));
});
afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

describe("removeStaleDirectories", () => {
  it("removes a directory whose owner died, and keeps one whose owner lives", () => {
    const stale = directoryWithOwner(`${PREFIX}dead`, { pid: deadPid(), pidNamespace: ourNamespace });
    const live = path.join(parent, `${PREFIX}live`);
    fs.mkdirSync(live);
    writeOwner(live);

    expect(removeStaleDirectories(parent, PREFIX)).toEqual([stale]);
    expect(fs.readdirSync(parent)).toEqual([`${PREFIX}live`]);
  });

  it("leaves directories it cannot judge: another PID namespace, no or a broken owner file, other names", () => {
    const pid = deadPid();
    directoryWithOwner(`${PREFIX}elsewhere`, { pid, pidNamespace: "pid:[1]" });
    directoryWithOwner(`${PREFIX}unowned`, undefined);
    directoryWithOwner(`${PREFIX}broken`, "not an owner");
    directoryWithOwner("someone-else", { pid, pidNamespace: ourNamespace });

    expect(removeStaleDirectories(parent, PREFIX)).toEqual([]);
    expect(fs.readdirSync(parent).sort()).toEqual(
      [`${PREFIX}broken`, `${PREFIX}elsewhere`, `${PREFIX}unowned`, "someone-else"].sort(),
    );
  });

  it("returns nothing for a parent that does not exist", () => {
    expect(removeStaleDirectories(path.join(parent, "missing"), PREFIX)).toEqual([]);
  });
});
