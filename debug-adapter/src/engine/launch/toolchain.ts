// toolchain.ts - checks, before anything is built or started, that the programs a launch needs exist: the C
// compiler and make (when building), QEMU and GDB. One error lists every missing tool with the command that
// installs it. Pairs with launch-target.ts (which runs the check) and the typed errors QEMU/GDB raise anyway.

import { ToroError } from "../errors";
import { findExecutable } from "../executables";

export type ToolRole = "compiler" | "make" | "qemu" | "gdb" | "ssh";

const INSTALL_COMMANDS: Record<ToolRole, string> = {
  compiler: "sudo apt-get install -y gcc binutils",
  make: "sudo apt-get install -y make",
  qemu: "sudo apt-get install -y qemu-system-x86",
  gdb: "sudo apt-get install -y gdb",
  ssh: "sudo apt-get install -y openssh-client",
};

const ROLE_NAMES: Record<ToolRole, string> = {
  compiler: "the C compiler",
  make: "make",
  qemu: "QEMU",
  gdb: "GDB",
  ssh: "ssh",
};

export interface RequiredTool {
  role: ToolRole;
  /** A bare command name (looked up on PATH) or a path. */
  command: string;
  /** Which setting named it, for the message (e.g. `"qemuPath"`, `CC`). */
  setting?: string;
}

export interface MissingTool extends RequiredTool {
  installCommand: string;
}

export class ToolsMissingError extends ToroError {
  constructor(readonly missing: MissingTool[]) {
    const lines = missing.map((tool) => {
      const origin = tool.setting === undefined ? "" : ` (from ${tool.setting})`;
      return `${ROLE_NAMES[tool.role]} was not found: cannot run "${tool.command}"${origin}`;
    });
    const installs = [...new Set(missing.map((tool) => tool.installCommand))];
    super(lines.join("; "), `Install with: ${installs.join(" && ")}`);
  }
}

/**
 * The compiler the kernel Makefile will run: `$CC` when set in the environment (make takes it from there),
 * else gcc. Only its first word is the program (CC may carry flags).
 */
export function compilerCommand(environment: NodeJS.ProcessEnv = process.env): RequiredTool {
  const fromEnvironment = environment.CC?.trim();
  if (fromEnvironment !== undefined && fromEnvironment !== "") {
    return {
      role: "compiler",
      command: fromEnvironment.split(/\s+/)[0],
      setting: "the CC environment variable",
    };
  }
  return { role: "compiler", command: "gcc" };
}

/** Throws ToolsMissingError naming every tool of `tools` that cannot be run. */
export function checkTools(tools: RequiredTool[], searchPath = process.env.PATH ?? ""): void {
  const missing = tools
    .filter((tool) => findExecutable(tool.command, searchPath) === undefined)
    .map((tool) => ({ ...tool, installCommand: INSTALL_COMMANDS[tool.role] }));
  if (missing.length > 0) throw new ToolsMissingError(missing);
}
