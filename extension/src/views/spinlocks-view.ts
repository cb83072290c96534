// spinlocks-view.ts - the Spinlocks view: every registered spinlock, hot ones first (spinlock-rows.ts).

import type * as vscode from "vscode";
import { View } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";
import { registerRowView } from "./row-tree-provider";
import { spinlockRows } from "./spinlock-rows";

export function registerSpinlocksView(context: vscode.ExtensionContext, store: TelemetryStore): void {
  registerRowView(context, store, {
    viewId: View.spinlocks,
    rowsOf: spinlockRows,
    emptyText: "No spinlock has been taken yet.",
  });
}
