// console.ts - GDB/MI "-interpreter-exec console": runs one GDB CLI command (what a user types after `-exec`
// in the Debug Console REPL) and returns the text GDB printed for it. Pairs with gdb-process.ts, which
// captures console-stream records printed between sending a command and its reply.
// A CLI command may resume the target (`continue`, `step`): the client then sees `*running` and its state
// follows, exactly as for MI commands.

import type { GdbClient } from "../gdb-client";
import { miCommand } from "./command-line";

/** Runs `commandLine` in GDB's CLI; returns its console output. GDB's errors reject with GdbError. */
export async function executeConsoleCommand(client: GdbClient, commandLine: string): Promise<string> {
  if (/[\r\n]/.test(commandLine)) {
    throw new RangeError("a console command must be a single line");
  }
  const { consoleOutput } = await client.execute(miCommand("-interpreter-exec", "console", commandLine), {
    requirement: "target-not-running",
  });
  return consoleOutput;
}
