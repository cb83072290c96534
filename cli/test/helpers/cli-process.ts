// cli-process.ts - runs the built `toro` CLI (cli/dist/main.js) as a child process with a private TMPDIR,
// so tests can check its output, exit code, and that no QEMU (found by its RAM path under that TMPDIR) and
// no file outlives it; useCliFolders() is the setup every such test file shares.

import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import {
  adapterDirectory,
  makeScratch,
  processesMentioning,
  removeScratch,
  repositoryRoot,
} from "@toro-studio/debug-adapter/test-support";

/** This workspace (cli/) and its compiled entry point. */
export const cliDirectory = path.resolve(__dirname, "..", "..");
export const cliPath = path.join(cliDirectory, "dist", "main.js");

/** Compiles the engine, then the CLI on top of it, from the current sources (the CLI runs compiled). */
export function compileCli(): void {
  for (const cwd of [adapterDirectory, cliDirectory]) {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd });
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  finished: Promise<CliResult>;
}

export function startCli(args: string[], tmpdir: string, cwd = repositoryRoot): CliRun {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd,
    env: { ...process.env, TMPDIR: tmpdir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout!.on("data", (chunk: Buffer) => (output.stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output.stderr += chunk.toString("utf8")));
  const finished = new Promise<CliResult>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout: output.stdout, stderr: output.stderr })),
  );
  return { child, output, finished };
}

export function runCli(args: string[], tmpdir: string, cwd?: string): Promise<CliResult> {
  return startCli(args, tmpdir, cwd).finished;
}

/** Re-exported for the suites that import it from here. */
export { processesMentioning };

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface CliFolders {
  /** The test file's private scratch folder. */
  readonly scratch: string;
  /** The CLI's TMPDIR (QEMU's private folders land there), inside `scratch`. */
  readonly tmpdir: string;
}

/**
 * Registers the setup every test file that runs the CLI shares: the CLI compiled from the current sources, a
 * scratch folder with a TMPDIR for the CLI, after each test no QEMU and no file left in that TMPDIR, and the
 * folder removed at the end. The paths are set in beforeAll: read them inside tests and hooks.
 */
export function useCliFolders(label: string): CliFolders {
  const folders = { scratch: "", tmpdir: "" };
  beforeAll(() => {
    compileCli();
    folders.scratch = makeScratch(label);
    folders.tmpdir = path.join(folders.scratch, "tmp");
    fs.mkdirSync(folders.tmpdir);
  });
  afterEach(() => {
    expect(processesMentioning(folders.tmpdir), "QEMU processes left").toEqual([]);
    expect(fs.readdirSync(folders.tmpdir), "files left in TMPDIR").toEqual([]);
  });
  afterAll(() => removeScratch(folders.scratch));
  return folders;
}
