// cores-view.ts - the Cores view: one row per vCPU (core-rows.ts), live from toroTelemetry. Clicking a row
// runs toro.selectCore (select-core.ts), which selects that vCPU in the Call Stack while the VM is stopped.

import type * as vscode from "vscode";
import { Command, View } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";
import { coreRows, type CoreRow } from "./core-rows";
import { registerRowView, type RowTreeProvider } from "./row-tree-provider";

export function registerCoresView(
  context: vscode.ExtensionContext,
  store: TelemetryStore,
): RowTreeProvider<CoreRow> {
  return registerRowView(context, store, {
    viewId: View.cores,
    rowsOf: coreRows,
    emptyText: "The kernel reports no cores yet.",
    decorate: (row, item) => {
      item.command = {
        command: Command.selectCore,
        title: "Select this vCPU in the Call Stack",
        arguments: [row.coreIndex],
      };
    },
  });
}
