// executables.test.ts - findExecutable (src/engine/executables.ts): a bare name searched on PATH in order, a
// path checked directly, an empty command found nowhere; and the real file check on this machine.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { findExecutable, isExecutableFile } from "../../src/engine/executables";

const installed = new Set(["/usr/bin/gcc", "/opt/qemu/qemu-system-x86_64"]);
const isExecutable = (file: string) => installed.has(file);

describe("findExecutable", () => {
  it("searches PATH in order for a bare name and checks a path directly", () => {
    expect(findExecutable("gcc", "/nowhere:/usr/bin", isExecutable)).toBe("/usr/bin/gcc");
    expect(findExecutable("/opt/qemu/qemu-system-x86_64", "", isExecutable)).toBe(
      "/opt/qemu/qemu-system-x86_64",
    );
    expect(findExecutable("/usr/bin/gdb", "/usr/bin", isExecutable)).toBeUndefined();
    expect(findExecutable("", "/usr/bin", isExecutable)).toBeUndefined();
  });

  it("checks real files by default: Node itself is executable, this test file is not", () => {
    expect(findExecutable(process.execPath)).toBe(process.execPath);
    expect(findExecutable(path.basename(process.execPath), path.dirname(process.execPath))).toBe(
      process.execPath,
    );
    expect(isExecutableFile(__filename)).toBe(false);
    expect(isExecutableFile(path.dirname(__filename))).toBe(false);
  });
});
