// adapter-factory.ts - starts the debug adapter for `toro` sessions: the adapter bundled into this
// extension's dist/adapter.js (built by scripts/build.mjs from debug-adapter/src/adapter.ts), run by the
// extension host's own Node (ELECTRON_RUN_AS_NODE lets desktop VS Code's Electron binary act as Node).
// Bundling keeps the .vsix self-contained: no workspace checkout or global install is needed.

import * as vscode from "vscode";
import { TORO_DEBUG_TYPE } from "@toro-studio/debug-adapter/protocol";

export const ADAPTER_SCRIPT = "dist/adapter.js";

export class ToroAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly adapterScript: string) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    return new vscode.DebugAdapterExecutable(process.execPath, [this.adapterScript], {
      env: { ELECTRON_RUN_AS_NODE: "1" },
    });
  }
}

export function registerAdapterFactory(context: vscode.ExtensionContext): void {
  const factory = new ToroAdapterFactory(context.asAbsolutePath(ADAPTER_SCRIPT));
  context.subscriptions.push(vscode.debug.registerDebugAdapterDescriptorFactory(TORO_DEBUG_TYPE, factory));
}
