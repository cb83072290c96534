// stress-command.ts - `Toro: Stress with HTTP`: HTTP load on the forwarded port of the running Toro session
// (launched with "network": true, e.g. samples/http-server), in a cancellable progress notification, with the
// result in the Toro output channel; meanwhile the Cores view and the monitor show the cores busy, then
// halting. The URL comes from the session's toroSession event. Pure parts in stress-text.ts.

import * as path from "node:path";
import * as vscode from "vscode";
import { TORO_DEBUG_TYPE, TORO_SESSION_EVENT } from "@toro-studio/debug-adapter/protocol";
import { formatLoadResult } from "@toro-studio/cli/stress";
import type { SessionTracker } from "../debug/session-tracker";
import { Command } from "../ids";
import { startStress } from "./stress-runner";
import {
  forwardedUrlOf,
  noTargetMessage,
  progressReport,
  resultSummary,
  STRESS_PLANS,
  type StressPlan,
} from "./stress-text";

/** The command's optional argument (for keybindings and tests): skips the quick pick. */
function asPlan(argument: unknown): StressPlan | undefined {
  if (typeof argument !== "object" || argument === null) return undefined;
  const { durationSeconds, requests, connections } = argument as Partial<StressPlan>;
  if (durationSeconds === undefined && requests === undefined) return undefined;
  return {
    label: "custom",
    connections: typeof connections === "number" ? connections : STRESS_PLANS[0].connections,
    ...(typeof durationSeconds === "number" ? { durationSeconds } : {}),
    ...(typeof requests === "number" ? { requests } : {}),
  };
}

export function registerStressCommand(
  context: vscode.ExtensionContext,
  tracker: SessionTracker,
  output: vscode.OutputChannel,
): void {
  /** Forwarded URL per debug session id, from each toro session's toroSession event. */
  const urls = new Map<string, string>();
  let running = false;
  const workerPath = path.join(context.extensionPath, "dist", "stress-worker.js");

  context.subscriptions.push(
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      if (event.session.type !== TORO_DEBUG_TYPE || event.event !== TORO_SESSION_EVENT) return;
      const url = forwardedUrlOf(event.body);
      if (url !== undefined) urls.set(event.session.id, url);
    }),
    vscode.debug.onDidTerminateDebugSession((session) => urls.delete(session.id)),
    vscode.commands.registerCommand(Command.stressHttp, async (argument?: unknown) => {
      const session = tracker.session;
      const url = session === undefined ? undefined : urls.get(session.id);
      if (session === undefined || url === undefined) {
        void vscode.window.showErrorMessage(noTargetMessage(session?.name));
        return;
      }
      if (running) {
        void vscode.window.showInformationMessage("Toro: a stress run is already going on.");
        return;
      }
      const plan =
        asPlan(argument) ??
        (await vscode.window.showQuickPick(
          STRESS_PLANS.map((choice) => ({ ...choice, description: `${choice.connections} connections` })),
          { title: `Toro: HTTP load on ${url}`, placeHolder: "How much load" },
        ));
      if (plan === undefined) return;
      running = true;
      try {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Toro stress ${url}`, cancellable: true },
          async (progress, cancellation) => {
            let previousResponses = 0;
            const run = startStress(workerPath, url, plan, (update) => {
              progress.report(progressReport(update, plan, previousResponses));
              previousResponses = update.responses;
            });
            const cancelled = cancellation.onCancellationRequested(() => run.stop());
            const ended = vscode.debug.onDidTerminateDebugSession((ending) => {
              if (ending.id === session.id) run.stop();
            });
            try {
              const result = await run.result;
              output.appendLine(`Toro: Stress with HTTP (${plan.label}, ${plan.connections} connections)`);
              for (const line of formatLoadResult(result)) output.appendLine(line);
              const failed = result.errors + result.timeouts + result.non2xx + result.mismatches > 0;
              const shown = failed
                ? vscode.window.showWarningMessage(resultSummary(result), "Show Output")
                : vscode.window.showInformationMessage(resultSummary(result), "Show Output");
              void shown.then((choice) => {
                if (choice !== undefined) output.show(true);
              });
            } finally {
              cancelled.dispose();
              ended.dispose();
            }
          },
        );
      } catch (error) {
        void vscode.window.showErrorMessage(`Toro: the stress run failed: ${(error as Error).message}`);
      } finally {
        running = false;
      }
    }),
  );
}
