#!/usr/bin/env node
// main.ts - the `toro` command (bin of this package): parses the command line (cli-arguments.ts) and runs
// one command. Expected failures (ToroError: usage, missing tools, build errors, QEMU errors) print a short
// message; anything else is a bug and prints its stack.

import { ToroError } from "@toro-studio/debug-adapter";
import { benchCommand } from "./bench/bench-command";
import { buildCommand } from "./build-command";
import { exporterCommand } from "./exporter-command";
import { parseCommandLine, UsageError } from "./cli-arguments";
import { newCommand } from "./new-command";
import { runCommand } from "./run-command";
import { stressCommand } from "./stress-command";
import { USAGE } from "./usage";

async function main(argv: string[]): Promise<number> {
  const command = parseCommandLine(argv);
  switch (command.kind) {
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case "build":
      return buildCommand(command);
    case "run":
      return runCommand(command);
    case "new":
      return newCommand(command);
    case "bench":
      return benchCommand(command);
    case "stress":
      return stressCommand(command);
    case "exporter":
      return exporterCommand(command);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`toro: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof ToroError) {
      process.stderr.write(`toro: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `toro: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 70;
    }
  },
);
