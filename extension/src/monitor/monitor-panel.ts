// monitor-panel.ts - the live monitor's extension-host side: one webview panel (client/main.ts is its page)
// fed from the TelemetryStore with typed messages (common/messages.ts): the last minute on "ready", then a
// point per telemetry event. CSP default-src 'none' with a per-page nonce; scripts and styles only from
// dist/webview/. Survives a window reload through a WebviewPanelSerializer.

import * as vscode from "vscode";
import { Command, MONITOR_VIEW_TYPE } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";
import { webviewPage, webviewPanelOptions } from "../webview-page";
import { isClientToHostMessage, type HostToClientMessage } from "./common/messages";

export class MonitorPanel implements vscode.Disposable {
  private static current: MonitorPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private clientReady = false;

  static show(context: vscode.ExtensionContext, store: TelemetryStore): MonitorPanel {
    if (MonitorPanel.current !== undefined) {
      MonitorPanel.current.panel.reveal(undefined, true);
      return MonitorPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      MONITOR_VIEW_TYPE,
      "Toro Monitor",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewPanelOptions(context.extensionUri),
    );
    MonitorPanel.current = new MonitorPanel(panel, context.extensionUri, store);
    return MonitorPanel.current;
  }

  static disposeCurrent(): void {
    MonitorPanel.current?.dispose();
  }

  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, store: TelemetryStore): void {
    panel.webview.options = webviewPanelOptions(context.extensionUri);
    MonitorPanel.current?.dispose();
    MonitorPanel.current = new MonitorPanel(panel, context.extensionUri, store);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly store: TelemetryStore,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "toro.svg");
    panel.webview.html = monitorHtml(panel.webview, extensionUri);
    this.subscriptions.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; the new page says "ready" again and gets the history then.
        if (!panel.visible) this.clientReady = false;
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isClientToHostMessage(message)) return;
        this.clientReady = true;
        this.sendHistory();
      }),
    );
    const unsubscribe = store.onDidChange((change) => {
      if (!this.clientReady) return;
      if (change.kind === "session") {
        if (change.phase === "live") this.sendHistory();
        else this.post({ type: "phase", phase: change.phase, sessionName: store.sessionName });
      } else if (change.point !== null) {
        this.post({ type: "point", point: change.point });
      }
    });
    this.subscriptions.push({ dispose: unsubscribe });
  }

  private sendHistory(): void {
    this.post({
      type: "history",
      sessionName: this.store.sessionName,
      phase: this.store.phase,
      windowSeconds: this.store.windowSeconds,
      points: this.store.history,
    });
  }

  private post(message: HostToClientMessage): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (MonitorPanel.current === this) MonitorPanel.current = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
    this.panel.dispose();
  }
}

export function monitorHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPage(webview, extensionUri, {
    title: "Toro Monitor",
    styles: ["uPlot.min.css", "monitor.css"],
    script: "monitor.js",
    body: `  <header>
    <h1>Toro live monitor</h1>
    <span id="session"></span>
    <span id="phase" class="phase"></span>
  </header>
  <section>
    <h2>QEMU process, host CPU (% of one host core)</h2>
    <div class="chart" id="host-chart"></div>
  </section>
  <section>
    <h2>Halts per second</h2>
    <div class="chart" id="halts-chart"></div>
  </section>
  <h2 class="cores-title">Per core: share of time (busy · lock spin · idle spin · polling · halted)</h2>
  <div id="cores"></div>
  <footer><span id="frame-rate" data-frames-per-second="0">-</span></footer>`,
  });
}

export function registerMonitor(context: vscode.ExtensionContext, store: TelemetryStore): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.openMonitor, () => {
      MonitorPanel.show(context, store);
    }),
    vscode.window.registerWebviewPanelSerializer(MONITOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => MonitorPanel.revive(panel, context, store),
    }),
    { dispose: () => MonitorPanel.disposeCurrent() },
  );
}
