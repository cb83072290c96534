// export-trace-command.ts - `Toro: Export Trace (Perfetto JSON)`: asks the current Toro session to write its
// event-trace window as a Chrome JSON trace (toroTraceExport, trace-protocol.ts; one track per core, opens
// in ui.perfetto.dev). The path comes from the command's argument (tests, keybindings) or a save dialog.

import * as path from "node:path";
import * as vscode from "vscode";
import {
  TORO_TRACE_EXPORT_REQUEST,
  type ToroTraceExportArguments,
  type ToroTraceExportBody,
} from "@toro-studio/debug-adapter/protocol";
import type { SessionTracker } from "../debug/session-tracker";
import { Command } from "../ids";

export function registerExportTrace(context: vscode.ExtensionContext, tracker: SessionTracker): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(
      Command.exportTrace,
      async (target?: unknown): Promise<ToroTraceExportBody | undefined> => {
        const session = tracker.session;
        if (session === undefined) {
          void vscode.window.showErrorMessage(
            "Toro: no Toro debug session is running: start one (F5) to export its event trace.",
          );
          return undefined;
        }
        const filePath = typeof target === "string" ? target : await askForPath();
        if (filePath === undefined) return undefined;
        try {
          const request: ToroTraceExportArguments = { path: filePath };
          const body = (await session.customRequest(
            TORO_TRACE_EXPORT_REQUEST,
            request,
          )) as ToroTraceExportBody;
          void vscode.window.showInformationMessage(
            `Toro: wrote ${body.events} trace events for ${body.cores} cores to ${path.basename(body.path)} ` +
              "(open it in ui.perfetto.dev).",
          );
          return body;
        } catch (error) {
          void vscode.window.showErrorMessage(
            `Toro: the trace was not exported: ${(error as Error).message}`,
          );
          return undefined;
        }
      },
    ),
  );
}

async function askForPath(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    title: "Export the event trace (Chrome JSON, for ui.perfetto.dev)",
    filters: { "Chrome JSON trace": ["json"] },
    defaultUri: folder === undefined ? undefined : vscode.Uri.joinPath(folder, "toro-trace.json"),
  });
  return uri?.fsPath;
}
