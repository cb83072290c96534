// toolchain-requirements.ts - the programs a Toro build and debug session runs, where each is looked for
// (settings or PATH, through the adapter's findExecutable) and the exact command that installs the missing
// ones. Pure: the file check is passed in. toolchain-check.ts shows the result in VS Code. Tested in
// test/unit/toolchain-requirements.test.ts.

import { findExecutable } from "@toro-studio/debug-adapter";

export interface ToolchainSettings {
  /** `toro.qemuPath`: a command name or an absolute path. */
  qemuPath: string;
  /** `toro.gdbPath`. */
  gdbPath: string;
  /** `toro.toolchainPrefix`, e.g. "x86_64-linux-gnu-" (prepended to gcc, ld, objcopy, objdump, nm). */
  toolchainPrefix: string;
}

export const DEFAULT_TOOLCHAIN_SETTINGS: ToolchainSettings = {
  qemuPath: "qemu-system-x86_64",
  gdbPath: "gdb",
  toolchainPrefix: "",
};

export interface Tool {
  /** What the tool is for, as shown to the user. */
  label: string;
  /** The command run (a name looked up on PATH, or a path). */
  command: string;
  /** The setting that changes the command, null for tools that follow toro.toolchainPrefix or none. */
  setting: "toro.qemuPath" | "toro.gdbPath" | "toro.toolchainPrefix" | null;
  /** The Debian/Ubuntu package that provides the default command. */
  debianPackage: string;
}

export function requiredTools(settings: ToolchainSettings): Tool[] {
  const prefix = settings.toolchainPrefix;
  const prefixSetting = "toro.toolchainPrefix" as const;
  return [
    {
      label: "QEMU (boots the kernel)",
      command: settings.qemuPath,
      setting: "toro.qemuPath",
      debianPackage: "qemu-system-x86",
    },
    {
      label: "GDB (debugs the kernel)",
      command: settings.gdbPath,
      setting: "toro.gdbPath",
      debianPackage: "gdb",
    },
    {
      label: "GCC (compiles the kernel)",
      command: `${prefix}gcc`,
      setting: prefixSetting,
      debianPackage: "gcc",
    },
    {
      label: "ld (links the kernel)",
      command: `${prefix}ld`,
      setting: prefixSetting,
      debianPackage: "binutils",
    },
    {
      label: "objcopy (wraps the kernel for QEMU)",
      command: `${prefix}objcopy`,
      setting: prefixSetting,
      debianPackage: "binutils",
    },
    {
      label: "objdump (kernel.asm listing)",
      command: `${prefix}objdump`,
      setting: prefixSetting,
      debianPackage: "binutils",
    },
    {
      label: "nm (kernel.map symbols)",
      command: `${prefix}nm`,
      setting: prefixSetting,
      debianPackage: "binutils",
    },
    { label: "make (drives the build)", command: "make", setting: null, debianPackage: "make" },
  ];
}

export interface FoundTool {
  tool: Tool;
  path: string;
}

export interface ToolchainReport {
  found: FoundTool[];
  missing: Tool[];
}

export function checkToolchain(
  settings: ToolchainSettings,
  searchPath: string,
  isExecutable: (file: string) => boolean,
): ToolchainReport {
  const report: ToolchainReport = { found: [], missing: [] };
  for (const tool of requiredTools(settings)) {
    const location = findExecutable(tool.command, searchPath, isExecutable);
    if (location === undefined) report.missing.push(tool);
    else report.found.push({ tool, path: location });
  }
  return report;
}

/** The exact command that installs what is missing, e.g. `sudo apt-get install -y qemu-system-x86 gdb`. */
export function installCommand(missing: readonly Tool[]): string {
  const packages = [...new Set(missing.map((tool) => tool.debianPackage))];
  return `sudo apt-get install -y ${packages.join(" ")}`;
}

/** One sentence naming what is missing, the install command and the settings that point elsewhere. */
export function missingToolsMessage(missing: readonly Tool[]): string {
  const names = missing.map((tool) => `${tool.label.split(" (")[0]} (\`${tool.command}\`)`).join(", ");
  const settings = [...new Set(missing.map((tool) => tool.setting).filter((setting) => setting !== null))];
  const settingHint = settings.length > 0 ? ` or point ${settings.join(" / ")} at an installed one` : "";
  return `Toro cannot find ${names}. Install with: ${installCommand(missing)}${settingHint}.`;
}
