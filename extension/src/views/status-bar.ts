// status-bar.ts - the status bar item `4 cores · 3 halted · host 0.9%` (status-text.ts), live while a Toro
// session runs, kept with "(ended)" after it; clicking it opens the live monitor.

import * as vscode from "vscode";
import { Command } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";
import { RefreshThrottle } from "./refresh-throttle";
import { statusText } from "./status-text";

/** The status bar redraws at most this often (ms). */
const STATUS_REFRESH_INTERVAL_MS = 500;

export function registerStatusBar(
  context: vscode.ExtensionContext,
  store: TelemetryStore,
): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem("toro.status", vscode.StatusBarAlignment.Left, 10);
  item.name = "Toro cores and host CPU";
  item.command = Command.openMonitor;
  const redraw = () => {
    const body = store.latest;
    if (store.phase === "none" || body === null) {
      if (store.phase === "live") {
        item.text = "$(pulse) Toro: booting…";
        item.tooltip = "Waiting for the kernel's telemetry. Click to open the live monitor.";
        item.show();
      } else item.hide();
      return;
    }
    const text = statusText(body, store.phase === "ended" ? "ended" : "live");
    item.text = text.text;
    item.tooltip = text.tooltip;
    item.show();
  };
  const throttle = new RefreshThrottle(STATUS_REFRESH_INTERVAL_MS, redraw);
  const unsubscribe = store.onDidChange((change) => {
    if (change.kind === "session" || change.firstReadable) throttle.requestNow();
    else throttle.request();
  });
  context.subscriptions.push(item, { dispose: () => (unsubscribe(), throttle.dispose()) });
  redraw();
  return item;
}
