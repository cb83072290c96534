// configuration-provider.ts - the `toro` DebugConfigurationProvider. F5 without launch.json launches the
// open app (resolve-configuration.ts); before the adapter starts it checks workspace trust and the toolchain
// and runs the `toro` build task unless make would do nothing, so compile errors land in the Problems panel and the launch stops with a
// clear message, all under one progress notification (launch-progress.ts). Also offers the initial
// configuration for a new launch.json and one dynamic configuration per app folder.

import * as path from "node:path";
import * as vscode from "vscode";
import { TORO_DEBUG_TYPE } from "@toro-studio/debug-adapter/protocol";
import { isAppFolder } from "../app-folder";
import { Command } from "../ids";
import { checkoutAt } from "../kernel-location";
import { readSettings } from "../settings";
import {
  buildIsUpToDate,
  listDirectory,
  runBuild,
  showBuildFailure,
  type CheckoutLookup,
} from "../tasks/task-provider";
import { ensureToolchain } from "../toolchain/toolchain-check";
import { initialLaunchConfiguration } from "./launch-templates";
import type { LaunchProgress } from "./launch-progress";
import type { LaunchTiming } from "./launch-timing";
import { resolveConfiguration, type DebugConfigurationInput } from "./resolve-configuration";

export class ToroConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly checkout: CheckoutLookup,
    private readonly progress: LaunchProgress,
    private readonly timing: LaunchTiming,
  ) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [initialLaunchConfiguration()];
  }

  resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    configuration: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    this.timing.mark("resolve");
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage(
        "Toro: this workspace is not trusted. Debugging builds and boots the workspace's code; trust the workspace to continue.",
      );
      return undefined;
    }
    const settings = readSettings(folder?.uri);
    const resolution = resolveConfiguration(configuration as DebugConfigurationInput, {
      workspaceFolder: (folder ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath ?? null,
      activeFile: vscode.window.activeTextEditor?.document.uri.fsPath ?? null,
      listDirectory,
      settings,
    });
    if (resolution.kind === "error") {
      void vscode.window.showErrorMessage(resolution.message);
      return undefined;
    }
    return resolution.configuration as vscode.DebugConfiguration;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    configuration: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    this.timing.mark("substituted");
    if (configuration.request !== "launch") return configuration;
    if (!ensureToolchain()) return undefined;
    this.timing.mark("toolchainChecked");
    const app = typeof configuration.app === "string" ? configuration.app : null;
    const title = `Toro: ${app === null ? configuration.name : path.basename(app)}`;
    const booting = `booting QEMU${configuration.noDebug === true ? "" : " and connecting GDB"}…`;
    if (app === null || configuration.program !== undefined || configuration.build === false) {
      this.progress.begin(title, booting);
      return configuration;
    }
    // The build uses the same checkout as the adapter: the configuration's own kernelCheckout, else the setting's.
    const checkout =
      typeof configuration.kernelCheckout === "string"
        ? checkoutAt(path.resolve(configuration.kernelCheckout), "configuration")
        : this.checkout();
    this.progress.begin(title, "building…");
    // Up to date: no build task (its terminal costs ~0.6 s); the adapter's own build check still runs.
    const upToDate = await buildIsUpToDate(path.resolve(app), folder, checkout);
    const exitCode = upToDate ? 0 : await runBuild(path.resolve(app), folder, checkout);
    this.timing.mark("built");
    if (exitCode !== 0) {
      this.progress.finish();
      void showBuildFailure(path.basename(app), exitCode);
      return undefined;
    }
    this.progress.report(booting);
    return configuration;
  }
}

/** "Toro: <app>" entries in the Run and Debug dropdown for each workspace folder that is an app. */
export class ToroDynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    if (folder === undefined || !isAppFolder(folder.uri.fsPath, listDirectory)) return [];
    return [
      { type: TORO_DEBUG_TYPE, request: "launch", name: `Toro: ${folder.name}`, app: "${workspaceFolder}" },
    ];
  }
}

/** Starts the current app without GDB (Ctrl+F5 does the same through VS Code). */
async function runWithoutDebugging(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  await vscode.debug.startDebugging(
    folder,
    { type: TORO_DEBUG_TYPE, request: "launch", name: "Toro: run" },
    { noDebug: true },
  );
}

export function registerConfigurationProviders(
  context: vscode.ExtensionContext,
  checkout: CheckoutLookup,
  progress: LaunchProgress,
  timing: LaunchTiming,
): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(
      TORO_DEBUG_TYPE,
      new ToroConfigurationProvider(checkout, progress, timing),
    ),
    vscode.debug.registerDebugConfigurationProvider(
      TORO_DEBUG_TYPE,
      new ToroDynamicConfigurationProvider(),
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.commands.registerCommand(Command.runWithoutDebugging, runWithoutDebugging),
  );
}
