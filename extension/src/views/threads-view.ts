// threads-view.ts - the Threads view: every kernel thread with its core, state and polling flag (thread-rows.ts).

import type * as vscode from "vscode";
import { View } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";
import { registerRowView } from "./row-tree-provider";
import { threadRows } from "./thread-rows";

export function registerThreadsView(context: vscode.ExtensionContext, store: TelemetryStore): void {
  registerRowView(context, store, {
    viewId: View.threads,
    rowsOf: threadRows,
    emptyText: "No kernel thread yet.",
  });
}
