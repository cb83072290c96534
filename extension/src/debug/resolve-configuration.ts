// resolve-configuration.ts - what F5 launches: fills a `toro` configuration from the workspace and the
// settings. An empty configuration (F5 with no launch.json) becomes a launch of the app folder (app-folder.ts);
// settings fill the fields the configuration leaves out; the adapter validates every field itself
// (debug-adapter/src/protocol/validate-arguments.ts). Pure; tested in test/unit/resolve-configuration.test.ts.

import * as path from "node:path";
import { TORO_DEBUG_TYPE, TORO_LAUNCH_SCHEMA } from "@toro-studio/debug-adapter/protocol";
import { findAppFolder, type ListDirectory } from "../app-folder";
import { DEFAULT_TOOLCHAIN_SETTINGS } from "../toolchain/toolchain-requirements";

export interface DebugConfigurationInput {
  type?: string;
  request?: string;
  name?: string;
  [key: string]: unknown;
}

export interface ResolveSettings {
  qemuPath: string;
  gdbPath: string;
  telemetryHz: number;
  kernelCheckout: string;
}

export interface ResolveContext {
  workspaceFolder: string | null;
  activeFile: string | null;
  listDirectory: ListDirectory;
  settings: ResolveSettings;
}

export type Resolution =
  { kind: "configuration"; configuration: DebugConfigurationInput } | { kind: "error"; message: string };

/** The adapter's default telemetry rate (launch-arguments.ts); the setting is passed only when it differs. */
const ADAPTER_DEFAULT_TELEMETRY_HZ = TORO_LAUNCH_SCHEMA.properties.telemetryHz.default;

export const NO_APP_MESSAGE =
  "Toro: F5 needs an app. Open a folder with the app's .c files (or one of its .c files), " +
  "or run `Toro: New Project from Sample`, or add a `toro` configuration to launch.json.";

export function isEmptyConfiguration(input: DebugConfigurationInput): boolean {
  return input.type === undefined && input.request === undefined && input.name === undefined;
}

export function resolveConfiguration(input: DebugConfigurationInput, context: ResolveContext): Resolution {
  let configuration: DebugConfigurationInput = { ...input };
  if (isEmptyConfiguration(input)) {
    const app = findAppFolder(context.workspaceFolder, context.activeFile, context.listDirectory);
    if (app === null) return { kind: "error", message: NO_APP_MESSAGE };
    configuration = {
      ...input,
      type: TORO_DEBUG_TYPE,
      request: "launch",
      name: `Toro: ${path.basename(app)}`,
      app,
    };
  }
  if (configuration.type !== TORO_DEBUG_TYPE) {
    return {
      kind: "error",
      message: `Toro: expected a configuration of type "${TORO_DEBUG_TYPE}", got "${String(configuration.type)}".`,
    };
  }
  if (configuration.request === "launch") {
    if (configuration.app === undefined && configuration.program === undefined) {
      const app = findAppFolder(context.workspaceFolder, context.activeFile, context.listDirectory);
      if (app === null) return { kind: "error", message: NO_APP_MESSAGE };
      configuration.app = app;
    }
    setWhenAbsent(configuration, "qemuPath", context.settings.qemuPath, DEFAULT_TOOLCHAIN_SETTINGS.qemuPath);
    setWhenAbsent(configuration, "kernelCheckout", context.settings.kernelCheckout, "");
  } else if (configuration.request !== "attach") {
    return {
      kind: "error",
      message: `Toro: "request" must be "launch" or "attach", got "${String(configuration.request)}".`,
    };
  }
  setWhenAbsent(configuration, "gdbPath", context.settings.gdbPath, DEFAULT_TOOLCHAIN_SETTINGS.gdbPath);
  setWhenAbsent(configuration, "telemetryHz", context.settings.telemetryHz, ADAPTER_DEFAULT_TELEMETRY_HZ);
  return { kind: "configuration", configuration };
}

/** Sets `key` from a setting when the configuration leaves it out and the setting is not the default. */
function setWhenAbsent<Value>(
  configuration: DebugConfigurationInput,
  key: string,
  value: Value,
  defaultValue: Value,
): void {
  if (configuration[key] === undefined && value !== defaultValue) configuration[key] = value;
}
