// fixture-app.ts - the session tests' C application (../fixtures/session-app/main.c): where it is, its
// `TAG: <name>` stop lines resolved to line numbers (never hard-coded), and a prebuilt image for tests that
// launch with `program` instead of building. Pairs with adapter-session.ts.

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { buildApp } from "../../../src/engine/build/build-runner";

export const SESSION_APP = path.resolve(__dirname, "..", "fixtures", "session-app");
export const SESSION_APP_SOURCE = path.join(SESSION_APP, "main.c");
export const REPOSITORY_ROOT = path.resolve(__dirname, "..", "..", "..", "..");
export const ADAPTER_PATH = path.resolve(__dirname, "..", "..", "..", "dist", "adapter.js");

/** The 1-based line of main.c carrying `TAG: <tag>`; throws unless there is exactly one. */
export function tagLine(tag: string): number {
  const lines = readFileSync(SESSION_APP_SOURCE, "utf8").split("\n");
  const found = lines.flatMap((text, index) =>
    new RegExp(`TAG: ${tag}(\\s|\\*|$)`).test(text) ? [index + 1] : [],
  );
  if (found.length !== 1)
    throw new Error(`tag "${tag}" found ${found.length} times in ${SESSION_APP_SOURCE}`);
  return found[0];
}

let built: Promise<{ kernelElf: string; bootElf: string }> | undefined;

/** Builds the app once per test file (make is incremental) and returns its kernel.elf and boot.elf. */
export function prebuiltSessionApp(): Promise<{ kernelElf: string; bootElf: string }> {
  built ??= buildApp({ appDirectory: SESSION_APP }).then((result) => {
    if (!result.success) throw new Error(`building the session app failed:\n${result.output}`);
    return { kernelElf: result.kernelElf, bootElf: result.bootElf };
  });
  return built;
}
