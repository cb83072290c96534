// task-provider.ts - the `toro` task type: "build <app>" and "clean <app>" for the app folder of each
// workspace folder, resolved the same way when written in tasks.json. Builds run make (build-task.ts) with
// the $toro-gcc problem matcher, so compile errors land in the Problems panel. runBuild() is what F5 and
// `Toro: Build` use: it runs the task and waits for make's exit code; F5 first asks buildIsUpToDate() and
// skips the task when make would do nothing.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { findAppFolder, isAppFolder, type ListDirectory } from "../app-folder";
import { Command, PROBLEM_MATCHER, TASK_TYPE } from "../ids";
import type { ToroCheckout } from "../kernel-location";
import { readSettings } from "../settings";
import { ensureToolchain } from "../toolchain/toolchain-check";
import {
  isToroTaskDefinition,
  makeInvocation,
  substituteWorkspaceFolder,
  taskName,
  type ToroTaskCommand,
  type ToroTaskDefinition,
  upToDateQuestion,
} from "./build-task";

export const listDirectory: ListDirectory = (directory) =>
  fs
    .readdirSync(directory, { withFileTypes: true })
    .map((entry) => ({ name: entry.name, isFile: entry.isFile() }));

/** Parallel make jobs: the machine's cores, at most 4 (the kernel is small; more only adds noise). */
const MAKE_JOBS = Math.max(1, Math.min(4, os.availableParallelism()));

export type CheckoutLookup = () => ToroCheckout;

export function createToroTask(
  definition: ToroTaskDefinition,
  scope: vscode.WorkspaceFolder | vscode.TaskScope.Workspace,
  checkout: ToroCheckout,
): vscode.Task {
  const folderPath = typeof scope === "object" ? scope.uri.fsPath : null;
  const app = path.resolve(substituteWorkspaceFolder(definition.app, folderPath));
  const settings = readSettings(typeof scope === "object" ? scope.uri : undefined);
  const plan = makeInvocation(definition.command, app, {
    kernelDirectory: checkout.kernel,
    toolchainPrefix: settings.toolchainPrefix,
    jobs: MAKE_JOBS,
  });
  const task = new vscode.Task(
    definition,
    scope,
    taskName(definition.command, path.basename(app)),
    TASK_TYPE,
    new vscode.ProcessExecution(plan.command, plan.args, { cwd: app }),
    [PROBLEM_MATCHER],
  );
  task.group = definition.command === "build" ? vscode.TaskGroup.Build : vscode.TaskGroup.Clean;
  task.detail = `make -C ${checkout.kernel} APP=${app}`;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true, showReuseMessage: false };
  return task;
}

export class ToroTaskProvider implements vscode.TaskProvider {
  constructor(private readonly checkout: CheckoutLookup) {}

  provideTasks(): vscode.Task[] {
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (!isAppFolder(folder.uri.fsPath, listDirectory)) continue;
      for (const command of ["build", "clean"] as ToroTaskCommand[]) {
        tasks.push(
          createToroTask({ type: TASK_TYPE, command, app: "${workspaceFolder}" }, folder, this.checkout()),
        );
      }
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (!isToroTaskDefinition(task.definition)) return undefined;
    const scope = typeof task.scope === "object" ? task.scope : vscode.TaskScope.Workspace;
    return createToroTask(task.definition, scope, this.checkout());
  }
}

/** How long `make -q` may take before the build task runs anyway. */
const UP_TO_DATE_TIMEOUT_MS = 10_000;

/**
 * Whether a build of the app would do nothing (`make -q` on its outputs: a process and some stats, tens of
 * ms). F5 then skips the build task, whose task and terminal machinery costs ~0.6 s in VS Code even when make
 * has nothing to do. Any doubt (an error, a timeout, make missing) answers false: the task runs as before.
 */
export function buildIsUpToDate(
  appDirectory: string,
  folder: vscode.WorkspaceFolder | undefined,
  checkout: ToroCheckout,
): Promise<boolean> {
  const plan = upToDateQuestion(appDirectory, {
    kernelDirectory: checkout.kernel,
    toolchainPrefix: readSettings(folder?.uri).toolchainPrefix,
    jobs: MAKE_JOBS,
  });
  return new Promise((resolve) => {
    execFile(plan.command, plan.args, { cwd: appDirectory, timeout: UP_TO_DATE_TIMEOUT_MS }, (error) =>
      resolve(error === null),
    );
  });
}

/** Runs "build <app>" and resolves with make's exit code (undefined when the task ended without one). */
export async function runBuild(
  appDirectory: string,
  folder: vscode.WorkspaceFolder | undefined,
  checkout: ToroCheckout,
): Promise<number | undefined> {
  const task = createToroTask(
    { type: TASK_TYPE, command: "build", app: appDirectory },
    folder ?? vscode.TaskScope.Workspace,
    checkout,
  );
  const execution = await vscode.tasks.executeTask(task);
  return new Promise((resolve) => {
    const subscription = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution !== execution) return;
      subscription.dispose();
      resolve(event.exitCode);
    });
  });
}

export function registerTasks(context: vscode.ExtensionContext, checkout: CheckoutLookup): void {
  context.subscriptions.push(
    vscode.tasks.registerTaskProvider(TASK_TYPE, new ToroTaskProvider(checkout)),
    vscode.commands.registerCommand(Command.build, async () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showErrorMessage(
          "Toro: building runs the workspace's code; trust the workspace first.",
        );
        return;
      }
      const folder = vscode.workspace.workspaceFolders?.[0];
      const activeFile = vscode.window.activeTextEditor?.document.uri.fsPath ?? null;
      const app = findAppFolder(folder?.uri.fsPath ?? null, activeFile, listDirectory);
      if (app === null) {
        void vscode.window.showErrorMessage(
          "Toro: open an app folder (a folder with .c files) or one of its .c files to build it.",
        );
        return;
      }
      if (!ensureToolchain()) return;
      const exitCode = await runBuild(app, folder, checkout());
      if (exitCode !== 0) void showBuildFailure(path.basename(app), exitCode);
    }),
  );
}

export async function showBuildFailure(appName: string, exitCode: number | undefined): Promise<void> {
  const show = "Show Problems";
  const choice = await vscode.window.showErrorMessage(
    `Toro: building ${appName} failed (make exited with ${exitCode ?? "no code"}). The compiler's messages are in the Problems panel.`,
    show,
  );
  if (choice === show) await vscode.commands.executeCommand("workbench.actions.view.problems");
}
