// settings.ts - reads the `toro.*` settings (package.json contributes.configuration) into plain objects for
// the pure modules. The only file that calls workspace.getConfiguration for them.

import * as vscode from "vscode";
import { Setting } from "./ids";
import { DEFAULT_TOOLCHAIN_SETTINGS, type ToolchainSettings } from "./toolchain/toolchain-requirements";

export interface ToroSettings extends ToolchainSettings {
  /** `toro.kernelCheckout`: another Toro checkout to build against; "" for the bundled kernel. */
  kernelCheckout: string;
  /** `toro.telemetryHz`: default telemetry rate for launches that do not set telemetryHz. */
  telemetryHz: number;
}

export const DEFAULT_TELEMETRY_HZ = 10;

export function readSettings(scope?: vscode.ConfigurationScope): ToroSettings {
  const configuration = vscode.workspace.getConfiguration(Setting.section, scope);
  const text = (key: string, fallback: string) => {
    const value = configuration.get<string>(key);
    return typeof value === "string" && value.trim() !== "" ? value.trim() : fallback;
  };
  const telemetryHz = configuration.get<number>(Setting.telemetryHz);
  return {
    qemuPath: text(Setting.qemuPath, DEFAULT_TOOLCHAIN_SETTINGS.qemuPath),
    gdbPath: text(Setting.gdbPath, DEFAULT_TOOLCHAIN_SETTINGS.gdbPath),
    toolchainPrefix: configuration.get<string>(Setting.toolchainPrefix)?.trim() ?? "",
    kernelCheckout: configuration.get<string>(Setting.kernelCheckout)?.trim() ?? "",
    telemetryHz: typeof telemetryHz === "number" && telemetryHz > 0 ? telemetryHz : DEFAULT_TELEMETRY_HZ,
  };
}

/**
 * Opens the Settings editor filtered to one setting, e.g. "toro.qemuPath". The program paths are
 * machine-overridable settings: with the workspace on a remote machine (code-server, SSH, containers) they live
 * in the Remote tab, which the User tab does not list, so the Remote tab is opened there.
 */
export function openSetting(settingId: string): Thenable<unknown> {
  if (vscode.env.remoteName !== undefined) {
    return vscode.commands.executeCommand("workbench.action.openRemoteSettings", { query: settingId });
  }
  return vscode.commands.executeCommand("workbench.action.openSettings", settingId);
}
