// build-task.ts - what a `toro` task runs: `make -C <kernel> -j<jobs> APP=<app>` (or `... clean`), with the
// toolchain prefix passed as make variables. Pure; task-provider.ts wraps it in a vscode.Task with the
// $toro-gcc problem matcher. The kernel Makefile writes everything into <app>/build/, never into the kernel
// folder, so a project builds against the kernel bundled in the extension without writing there.

export const TASK_COMMANDS = ["build", "clean"] as const;
export type ToroTaskCommand = (typeof TASK_COMMANDS)[number];

/** The `toro` task definition as written in tasks.json (package.json contributes.taskDefinitions). */
export interface ToroTaskDefinition {
  type: "toro";
  command: ToroTaskCommand;
  /** The app folder; may use ${workspaceFolder}. */
  app: string;
}

export interface ProcessPlan {
  command: string;
  args: string[];
}

export interface MakeOptions {
  kernelDirectory: string;
  toolchainPrefix: string;
  /** Parallel compile jobs. */
  jobs: number;
}

/** The make variables that select a cross toolchain (the kernel Makefile's CC, LD, OBJCOPY, OBJDUMP, NM). */
export function toolchainVariables(prefix: string): string[] {
  if (prefix === "") return [];
  return [
    `CC=${prefix}gcc`,
    `LD=${prefix}ld`,
    `OBJCOPY=${prefix}objcopy`,
    `OBJDUMP=${prefix}objdump`,
    `NM=${prefix}nm`,
  ];
}

export function makeInvocation(
  command: ToroTaskCommand,
  appDirectory: string,
  options: MakeOptions,
): ProcessPlan {
  const args = [
    "-C",
    options.kernelDirectory,
    `-j${options.jobs}`,
    `APP=${appDirectory}`,
    ...toolchainVariables(options.toolchainPrefix),
  ];
  if (command === "clean") args.push("clean");
  return { command: "make", args };
}

/** What a build makes in <app>/build/: the kernel Makefile's `all`, less its phony app check. */
export const BUILD_OUTPUTS = ["kernel.elf", "boot.elf", "kernel.asm", "kernel.map"] as const;

/**
 * `make -q` on the build's outputs, with the build's own variables: exit status 0 when make would do
 * nothing (the Makefile tracks sources, headers and itself), 1 when something is out of date. Asking the
 * phony `all` would always answer 1.
 */
export function upToDateQuestion(appDirectory: string, options: MakeOptions): ProcessPlan {
  const build = makeInvocation("build", appDirectory, options);
  const outputs = BUILD_OUTPUTS.map((file) => `${appDirectory}/build/${file}`);
  return { command: build.command, args: [...build.args, "-q", ...outputs] };
}

/** Replaces ${workspaceFolder} (the only variable a toro task's app may use) with the folder's path. */
export function substituteWorkspaceFolder(value: string, workspaceFolder: string | null): string {
  if (!value.includes("${workspaceFolder}")) return value;
  if (workspaceFolder === null) throw new Error(`"${value}" uses \${workspaceFolder}, but no folder is open`);
  return value.split("${workspaceFolder}").join(workspaceFolder);
}

export function isToroTaskDefinition(value: unknown): value is ToroTaskDefinition {
  if (typeof value !== "object" || value === null) return false;
  const definition = value as Partial<ToroTaskDefinition>;
  return (
    definition.type === "toro" &&
    typeof definition.app === "string" &&
    TASK_COMMANDS.includes(definition.command as ToroTaskCommand)
  );
}

/** The task's label as VS Code shows it, e.g. "build idle-demo". */
export function taskName(command: ToroTaskCommand, appName: string): string {
  return `${command} ${appName}`;
}
