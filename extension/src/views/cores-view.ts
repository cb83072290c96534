// cores-view.ts - the Cores view (in the Toro container, and as "Toro Cores" in Run and Debug while a toro
// session runs): one row per vCPU, in groups of 16 above 16 vCPUs (core-rows.ts), live from
// toroTelemetry, with the hypervisor beside the title. Clicking a core row runs toro.selectCore
// (select-core.ts), which selects that vCPU in the Call Stack while the VM is stopped.

import type * as vscode from "vscode";
import { Command, View } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";
import { coreRows, coresSummary, type CoreRow } from "./core-rows";
import { registerRowView, type RowTreeProvider } from "./row-tree-provider";

export function registerCoresView(
  context: vscode.ExtensionContext,
  store: TelemetryStore,
): RowTreeProvider<CoreRow> {
  return registerRowView(context, store, {
    viewId: View.cores,
    // VS Code switches to Run and Debug when a session starts: the same tree is there too (debugType == toro).
    alsoInViews: [View.debugCores],
    rowsOf: coreRows,
    emptyText: "The kernel reports no cores yet.",
    summarize: coresSummary,
    decorate: (row, item) => {
      if (row.coreIndex === null) return; // a group row expands; it selects nothing
      item.command = {
        command: Command.selectCore,
        title: "Select this vCPU in the Call Stack",
        arguments: [row.coreIndex],
      };
    },
  });
}
