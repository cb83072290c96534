// fixture-kernel.ts - assembles test/fixtures/multiboot/fixture.S into a tiny multiboot kernel (as + ld) for
// launcher tests that must not depend on the real kernel, and reports where its message lies in memory.

import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { fixturesDirectory } from "./paths";

export interface FixtureKernel {
  path: string;
  /** Physical address of the "fixture: ready" string (the image is loaded where it is linked). */
  messageAddress: number;
}

export function buildFixtureKernel(directory: string): FixtureKernel {
  const source = path.join(fixturesDirectory, "multiboot", "fixture.S");
  const script = path.join(fixturesDirectory, "multiboot", "fixture.ld");
  const object = path.join(directory, "fixture.o");
  const image = path.join(directory, "fixture.elf");
  execFileSync("as", ["--32", source, "-o", object]);
  execFileSync("ld", ["-m", "elf_i386", "--no-warn-rwx-segments", "-T", script, object, "-o", image]);
  const symbols = execFileSync("nm", [image], { encoding: "utf8" });
  const match = /^([0-9a-f]+) \w ready_message$/m.exec(symbols);
  if (match === null) throw new Error(`ready_message not found in ${image}`);
  return { path: image, messageAddress: parseInt(match[1], 16) };
}
