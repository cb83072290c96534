// threads-view.ts - the Threads view: every kernel thread with its core, state and polling flag (thread-rows.ts).
// Clicking a row runs toro.selectThread (../debug/select-core.ts), which selects that thread in the Call Stack
// while the VM is stopped (its own stack when switched out, its vCPU's when running).

import type * as vscode from "vscode";
import { Command, View } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";
import { registerRowView } from "./row-tree-provider";
import { threadRows } from "./thread-rows";

export function registerThreadsView(context: vscode.ExtensionContext, store: TelemetryStore): void {
  registerRowView(context, store, {
    viewId: View.threads,
    rowsOf: threadRows,
    emptyText: "No kernel thread yet.",
    decorate: (row, item) => {
      item.command = {
        command: Command.selectThread,
        title: "Select this thread in the Call Stack",
        arguments: [row.threadId],
      };
    },
  });
}
