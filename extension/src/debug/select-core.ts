// select-core.ts - `toro.selectCore` (a click on a row of the Cores view): asks the adapter to select that
// vCPU (thread id = core + 1) in the Call Stack through the custom request `toroSelectCore`
// (toro-protocol.ts: while stopped, the adapter re-sends the stop for that thread), then shows the Call Stack.
// The adapter decides, not the last telemetry event (which may predate the stop): while the VM runs it refuses,
// and its message goes to the status bar.
import * as vscode from "vscode";
import { TORO_SELECT_CORE_REQUEST, type ToroSelectCoreArguments } from "@toro-studio/debug-adapter/protocol";
import { Command } from "../ids";
import type { SessionTracker } from "./session-tracker";

/** How long the status bar messages of this command stay (ms). */
const MESSAGE_TIMEOUT_MS = 4000;

export function registerSelectCore(context: vscode.ExtensionContext, tracker: SessionTracker): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.selectCore, async (core: unknown) => {
      const session = tracker.session;
      if (typeof core !== "number" || session === undefined) return;
      try {
        const request: ToroSelectCoreArguments = { core };
        await session.customRequest(TORO_SELECT_CORE_REQUEST, request);
        await vscode.commands.executeCommand("workbench.debug.action.focusCallStackView");
      } catch (error) {
        vscode.window.setStatusBarMessage(
          `Toro: cannot select CPU ${core}: ${(error as Error).message}`,
          MESSAGE_TIMEOUT_MS,
        );
      }
    }),
  );
}
