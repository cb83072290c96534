// fixture.ts - builds the GDB layer's test kernel (../fixtures: boot.S, counter-kernel.c, linker.ld) into a
// private temporary directory with gcc and objcopy, and resolves the `TAG:` comments of its C source to line
// numbers. Pairs with qemu-target.ts (boots boot.elf) and session.ts (loads kernel.elf into GDB).

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const FIXTURE_DIRECTORY = path.resolve(__dirname, "../fixtures");
/** The C source GDB reports in frames (compiled in place, so its full path is this one). */
export const FIXTURE_SOURCE = path.join(FIXTURE_DIRECTORY, "counter-kernel.c");

export interface FixtureKernel {
  /** x86-64 ELF with DWARF, for GDB. */
  elfPath: string;
  /** The same image as ELF32, which QEMU's multiboot loader (`-kernel`) requires. */
  bootPath: string;
  /** Deletes the build directory. */
  remove(): Promise<void>;
}

export async function buildFixtureKernel(): Promise<FixtureKernel> {
  const directory = await mkdtemp(path.join(tmpdir(), "toro-gdb-fixture-"));
  const elfPath = path.join(directory, "kernel.elf");
  const bootPath = path.join(directory, "boot.elf");
  try {
    await run("gcc", [
      "-m64",
      "-ffreestanding",
      "-nostdlib",
      "-static",
      "-fno-pic",
      "-fno-pie",
      "-no-pie",
      "-fno-stack-protector",
      "-mno-red-zone",
      "-O0",
      "-g",
      "-Wall",
      "-Werror",
      `-Wl,-T,${path.join(FIXTURE_DIRECTORY, "linker.ld")}`,
      "-Wl,--build-id=none",
      "-Wl,-z,noexecstack",
      "-Wl,--no-warn-rwx-segments",
      "-o",
      elfPath,
      path.join(FIXTURE_DIRECTORY, "boot.S"),
      FIXTURE_SOURCE,
    ]);
    await run("objcopy", ["-O", "elf32-i386", elfPath, bootPath]);
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return { elfPath, bootPath, remove: () => rm(directory, { recursive: true, force: true }) };
}

/** The 1-based line of counter-kernel.c that carries `TAG: <tag>`; throws if there is not exactly one. */
export async function tagLine(tag: string): Promise<number> {
  const lines = (await readFile(FIXTURE_SOURCE, "utf8")).split("\n");
  const matches = lines.flatMap((text, index) => (text.includes(`TAG: ${tag} `) ? [index + 1] : []));
  if (matches.length !== 1) {
    throw new Error(`tag "${tag}" found ${matches.length} times in ${FIXTURE_SOURCE}`);
  }
  return matches[0];
}
