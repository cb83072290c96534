// extension.ts - the Toro Studio extension's entry point: a short list of register(context) calls, one per
// feature; every disposable goes into context.subscriptions. See README.md for what each feature does.

import { bundleStartedAt } from "./activation-clock";
import * as fs from "node:fs";
import * as vscode from "vscode";
import { TORO_DEBUG_TYPE } from "@toro-studio/debug-adapter/protocol";
import { registerAdapterFactory } from "./debug/adapter-factory";
import { adapterMessageTracker } from "./debug/adapter-messages";
import { registerConfigurationProviders } from "./debug/configuration-provider";
import { LaunchProgress } from "./debug/launch-progress";
import { LaunchTiming } from "./debug/launch-timing";
import { registerSelectCore } from "./debug/select-core";
import { SessionTracker } from "./debug/session-tracker";
import { OUTPUT_CHANNEL_NAME } from "./ids";
import { registerIdlePolicyCommand } from "./idle-policy/idle-policy-command";
import { resolveCheckout, type ToroCheckout } from "./kernel-location";
import { registerMonitor } from "./monitor/monitor-panel";
import { registerNewProjectCommand } from "./scaffolding/new-project-command";
import { registerStressCommand } from "./stress/stress-command";
import { readSettings } from "./settings";
import { registerTasks } from "./tasks/task-provider";
import { registerExportTrace } from "./timeline/export-trace-command";
import { registerTimeline } from "./timeline/timeline-panel";
import { TelemetryStore } from "./telemetry/telemetry-store";
import { registerToolchainCheck } from "./toolchain/toolchain-check";
import { registerCoresView } from "./views/cores-view";
import { registerSpinlocksView } from "./views/spinlocks-view";
import { registerStatusBar } from "./views/status-bar";
import { registerThreadsView } from "./views/threads-view";

export function activate(context: vscode.ExtensionContext): void {
  const activateStartedAt = performance.now();
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  const store = new TelemetryStore();
  const tracker = new SessionTracker(store);
  const progress = new LaunchProgress();
  const timing = new LaunchTiming(output);
  const checkout = () => currentCheckout(context.extensionPath);
  context.subscriptions.push(output, tracker, progress);

  const adapters = registerAdapterFactory(context, output);
  // The views' store first, so the F5 timing's "live" mark comes after the store has the first telemetry.
  const consumers = [tracker, progress, timing, adapters];
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterTrackerFactory(TORO_DEBUG_TYPE, {
      createDebugAdapterTracker: (session) => adapterMessageTracker(consumers, session),
    }),
  );
  registerConfigurationProviders(context, checkout, progress, timing);
  registerTasks(context, checkout);
  registerToolchainCheck(context);
  registerCoresView(context, store);
  registerSpinlocksView(context, store);
  registerThreadsView(context, store);
  registerStatusBar(context, store);
  registerMonitor(context, store);
  registerTimeline(context, tracker);
  registerExportTrace(context, tracker);
  registerSelectCore(context, tracker);
  registerIdlePolicyCommand(context, tracker, store);
  registerNewProjectCommand(context, checkout);
  registerStressCommand(context, tracker, output);

  const finishedAt = performance.now();
  output.appendLine(
    `Toro Studio activated: activate() took ${(finishedAt - activateStartedAt).toFixed(1)} ms, ` +
      `${(finishedAt - bundleStartedAt).toFixed(1)} ms after the bundle started running`,
  );
}

/** The Toro checkout to build against; throws with the reason when there is none (shown by VS Code). */
function currentCheckout(extensionPath: string): ToroCheckout {
  const checkout = resolveCheckout(readSettings().kernelCheckout, extensionPath, fs.existsSync);
  if ("error" in checkout) {
    void vscode.window.showErrorMessage(checkout.error);
    throw new Error(checkout.error);
  }
  return checkout;
}

export function deactivate(): void {
  // Everything registered is in context.subscriptions, which VS Code disposes.
}
