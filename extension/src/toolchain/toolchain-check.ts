// toolchain-check.ts - checks the toolchain before a launch or a build and on `Toro: Check Toolchain`:
// a missing tool gives an error with the exact install command (copyable) and a link to the setting that
// points elsewhere. The lookup itself is toolchain-requirements.ts.

import { isExecutableFile } from "@toro-studio/debug-adapter";
import * as vscode from "vscode";
import { Command } from "../ids";
import { openSetting, readSettings } from "../settings";
import {
  checkToolchain,
  installCommand,
  missingToolsMessage,
  type ToolchainReport,
} from "./toolchain-requirements";

export function currentToolchainReport(): ToolchainReport {
  return checkToolchain(readSettings(), process.env.PATH ?? "", isExecutableFile);
}

/** True when everything is installed; otherwise shows the error (without waiting for the user) and returns false. */
export function ensureToolchain(): boolean {
  const report = currentToolchainReport();
  if (report.missing.length === 0) return true;
  void showMissingTools(report);
  return false;
}

async function showMissingTools(report: ToolchainReport): Promise<void> {
  const copy = "Copy Install Command";
  const settings = "Open Settings";
  const choice = await vscode.window.showErrorMessage(missingToolsMessage(report.missing), copy, settings);
  if (choice === copy) {
    await vscode.env.clipboard.writeText(installCommand(report.missing));
  } else if (choice === settings) {
    const setting = report.missing.find((tool) => tool.setting !== null)?.setting ?? "toro.qemuPath";
    await openSetting(setting);
  }
}

export function registerToolchainCheck(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.checkToolchain, async () => {
      const report = currentToolchainReport();
      if (report.missing.length > 0) return showMissingTools(report);
      const found = report.found.map((entry) => `${entry.tool.command} → ${entry.path}`).join(", ");
      void vscode.window.showInformationMessage(`Toro toolchain complete: ${found}`);
    }),
  );
}
