// cli-process.ts - runs the built `toro` CLI (dist/cli/main.js) as a child process with a private TMPDIR,
// so tests can check its output, exit code, and that no QEMU (found by its RAM path under that TMPDIR) and
// no file outlives it.

import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import { cliPath, repositoryRoot } from "./paths";

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

/** Process ids whose command line mentions `text` (e.g. a QEMU whose RAM file lies under a test's TMPDIR). */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
