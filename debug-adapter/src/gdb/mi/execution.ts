// execution.ts - GDB/MI "Program Execution": continue, interrupt, step/next/finish and their instruction
// variants, in all-stop mode (every vCPU resumes and stops together). Each resolves when GDB has accepted
// the command; the stop arrives later as the client's `stopped` event (or through client.untilStopped).

import type { GdbClient } from "../gdb-client";
import { miCommand } from "./command-line";
import { threadOptions } from "./stack";

/** Which vCPU a step applies to; default: GDB's selected thread (the one that last stopped). */
export interface StepOptions {
  threadId?: number;
}

async function resume(client: GdbClient, operation: string, options: StepOptions): Promise<void> {
  await client.execute(miCommand(operation, ...threadOptions(options.threadId)), {
    requirement: "stopped-target",
    resumesTarget: true,
  });
}

/** Resumes every vCPU. */
export async function continueExecution(client: GdbClient): Promise<void> {
  await resume(client, "-exec-continue", {});
}

/** Source-line step that enters calls (`step`). */
export async function step(client: GdbClient, options: StepOptions = {}): Promise<void> {
  await resume(client, "-exec-step", options);
}

/** Source-line step over calls (`next`). */
export async function next(client: GdbClient, options: StepOptions = {}): Promise<void> {
  await resume(client, "-exec-next", options);
}

/** Runs until the selected frame returns (`finish`); the stop carries the return value. GDB refuses it in
 * the outermost frame (GdbError), and the target stays stopped. */
export async function finish(client: GdbClient, options: StepOptions = {}): Promise<void> {
  await resume(client, "-exec-finish", options);
}

/** One machine instruction, entering calls (`stepi`). */
export async function stepInstruction(client: GdbClient, options: StepOptions = {}): Promise<void> {
  await resume(client, "-exec-step-instruction", options);
}

/** One machine instruction, over calls (`nexti`). */
export async function nextInstruction(client: GdbClient, options: StepOptions = {}): Promise<void> {
  await resume(client, "-exec-next-instruction", options);
}

/**
 * Pauses a running target: `-exec-interrupt`, which in all-stop asynchronous mode makes GDB send the
 * remote protocol's break to QEMU, stopping every vCPU (the stop reports SIGINT). Returns false, sending
 * nothing, when the target is not running.
 */
export async function interrupt(client: GdbClient): Promise<boolean> {
  if (client.state !== "running") {
    return false;
  }
  await client.execute("-exec-interrupt", { requirement: "any-state" });
  return true;
}
