// source-tag.ts - finds the line of a C source marked with a tag comment (e.g. `/* toro-bench: main */`),
// so benchmarks and tests put breakpoints on marked lines, never on hard-coded line numbers.

import * as fs from "node:fs";
import { ToroError } from "@toro-studio/debug-adapter";

/** The 1-based line holding `tag`; throws when there is none or more than one. */
export function findTaggedLine(file: string, tag: string): number {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const found = lines.flatMap((line, index) => (line.includes(tag) ? [index + 1] : []));
  if (found.length !== 1) {
    throw new ToroError(`${file}: expected exactly one line tagged "${tag}", found ${found.length}`);
  }
  return found[0];
}
