// select-core.ts - selecting in the Call Stack from Toro's views: `toro.selectCore` (a click on a row of the
// Cores view) asks the adapter to select that vCPU (thread id = core + 1) through the custom request
// `toroSelectCore`, and `toro.selectThread` (a click on a row of the Threads view) selects that kernel thread
// through `toroSelectThread` (the thread's own stack while it is switched out, its vCPU while it runs).
// While stopped, the adapter re-sends the stop for that thread (toro-protocol.ts), then the Call Stack is shown.
// The adapter decides, not the last telemetry event (which may predate the stop): while the VM runs it refuses,
// and its message goes to the status bar.
import * as vscode from "vscode";
import {
  TORO_SELECT_CORE_REQUEST,
  TORO_SELECT_THREAD_REQUEST,
  type ToroSelectCoreArguments,
  type ToroSelectThreadArguments,
} from "@toro-studio/debug-adapter/protocol";
import { Command } from "../ids";
import type { SessionTracker } from "./session-tracker";

/** How long the status bar messages of these commands stay (ms). */
const MESSAGE_TIMEOUT_MS = 4000;

/** Sends `request` to the tracked session and shows the Call Stack; failures go to the status bar. */
async function selectInCallStack(
  tracker: SessionTracker,
  request: string,
  arguments_: ToroSelectCoreArguments | ToroSelectThreadArguments,
  what: string,
): Promise<void> {
  const session = tracker.session;
  if (session === undefined) return;
  try {
    await session.customRequest(request, arguments_);
    await vscode.commands.executeCommand("workbench.debug.action.focusCallStackView");
  } catch (error) {
    vscode.window.setStatusBarMessage(
      `Toro: cannot select ${what}: ${(error as Error).message}`,
      MESSAGE_TIMEOUT_MS,
    );
  }
}

export function registerSelectCore(context: vscode.ExtensionContext, tracker: SessionTracker): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.selectCore, async (core: unknown) => {
      if (typeof core !== "number") return;
      await selectInCallStack(tracker, TORO_SELECT_CORE_REQUEST, { core }, `CPU ${core}`);
    }),
    vscode.commands.registerCommand(Command.selectThread, async (thread: unknown) => {
      if (typeof thread !== "number") return;
      await selectInCallStack(tracker, TORO_SELECT_THREAD_REQUEST, { thread }, `thread ${thread}`);
    }),
  );
}
