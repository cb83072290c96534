// timeline-panel.ts - the event-trace timeline's extension-host side: one webview panel (client/main.ts is
// its page) fed with the current Toro session's trace window (the adapter's toroTraceWindow request,
// trace-protocol.ts), limited to what the page shows (its "view" message: a range and the plot's width, so
// the adapter merges sub-pixel intervals), about once a second while it is visible and live (less often
// when building it takes the adapter a while), and at once when the user zooms or pans. A kernel booted with tracing off gets it switched on
// (toroTraceControl "on") the first time the panel sees it, and the page says so; the kinds menu switches
// them while the VM runs. CSP default-src 'none' with a per-page nonce; scripts and
// styles only from dist/webview/. A window reload brings the panel back (registerWebviewPanelSerializer;
// the page restores its range and live state itself, common/timeline-state.ts).

import * as vscode from "vscode";
import {
  TORO_DEBUG_TYPE,
  TORO_TRACE_CONTROL_REQUEST,
  TORO_TRACE_WINDOW_REQUEST,
  type ToroTraceControlArguments,
  type ToroTraceControlBody,
  type ToroTraceWindowArguments,
  type ToroTraceWindowBody,
} from "@toro-studio/debug-adapter/protocol";
import type { SessionTracker } from "../debug/session-tracker";
import { Command, TIMELINE_VIEW_TYPE } from "../ids";
import {
  isTimelineClientMessage,
  type TimelineHostMessage,
  type TimelinePhase,
} from "./common/timeline-messages";
import { webviewPage, webviewPanelOptions } from "../webview-page";

/** How often a live, visible panel asks for the window (ms), at most. */
const FETCH_INTERVAL_MS = 1000;
/**
 * A large window (10^5 intervals and more) takes the adapter a while to build: the next request waits at
 * least this many times as long as the last one took, so the adapter spends at most a third of its time on it.
 */
const FETCH_BACKOFF = 2;

export class TimelinePanel implements vscode.Disposable {
  private static current: TimelinePanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private clientReady = false;
  private live = true;
  private fetching = false;
  /** A fetch was asked for while one was in flight: run one more when it ends. */
  private fetchAgain = false;
  /** What the page shows (its last "view" message): the window is limited to it. */
  private request: ToroTraceWindowArguments = {};
  private phase: TimelinePhase;
  private sessionName = "";
  private notice: string | null = null;
  /** Sessions whose tracing this panel switched on (once each: the user may switch it off again). */
  private readonly switchedOn = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastRequestMs = 0;
  private disposed = false;

  static show(context: vscode.ExtensionContext, tracker: SessionTracker): TimelinePanel {
    if (TimelinePanel.current !== undefined) {
      TimelinePanel.current.panel.reveal(undefined, true);
      return TimelinePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE,
      "Toro Timeline",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewPanelOptions(context.extensionUri),
    );
    TimelinePanel.current = new TimelinePanel(panel, context.extensionUri, tracker);
    return TimelinePanel.current;
  }

  /** A panel VS Code brings back after a window reload (its page state comes with it). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, tracker: SessionTracker): void {
    panel.webview.options = webviewPanelOptions(context.extensionUri);
    TimelinePanel.current?.dispose();
    TimelinePanel.current = new TimelinePanel(panel, context.extensionUri, tracker);
  }

  static disposeCurrent(): void {
    TimelinePanel.current?.dispose();
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly tracker: SessionTracker,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "toro.svg");
    panel.webview.html = timelineHtml(panel.webview, extensionUri);
    this.phase = tracker.session === undefined ? "none" : "live";
    this.sessionName = tracker.session?.name ?? "";
    this.subscriptions.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; the new page says "ready" again.
        if (!panel.visible) this.clientReady = false;
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      vscode.debug.onDidStartDebugSession((session) => {
        if (session.type !== TORO_DEBUG_TYPE) return;
        this.phase = "live";
        this.sessionName = session.name;
        this.notice = null;
        this.postStatus();
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type !== TORO_DEBUG_TYPE || this.tracker.session !== undefined) return;
        this.phase = "ended";
        this.postStatus();
      }),
    );
    this.scheduleFetch();
  }

  /** The live loop: one request at a time, the next one FETCH_INTERVAL_MS (or the backoff) after it. */
  private scheduleFetch(): void {
    if (this.disposed) return;
    const delay = Math.max(FETCH_INTERVAL_MS, FETCH_BACKOFF * this.lastRequestMs);
    this.timer = setTimeout(async () => {
      if (this.live && this.clientReady && this.panel.visible) await this.fetch();
      this.scheduleFetch();
    }, delay);
  }

  private receive(message: unknown): void {
    if (!isTimelineClientMessage(message)) return;
    switch (message.type) {
      case "ready":
        this.clientReady = true;
        this.postStatus();
        void this.fetch();
        break;
      case "live":
        this.live = message.live;
        if (this.live) void this.fetch();
        break;
      case "traceKinds":
        void this.switchKinds(message.kinds);
        break;
      case "view":
        this.request = message.request;
        if (this.clientReady) void this.fetch();
        break;
    }
  }

  /** Asks the session for its window and passes it on; never two requests at once. */
  private async fetch(): Promise<void> {
    const session = this.tracker.session;
    if (session === undefined) return;
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    try {
      let started = performance.now();
      let window = (await session.customRequest(
        TORO_TRACE_WINDOW_REQUEST,
        this.request,
      )) as ToroTraceWindowBody;
      if (window.enabledKinds === 0 && !this.switchedOn.has(session.id)) {
        this.switchedOn.add(session.id);
        await this.control(session, "on");
        this.notice = "Tracing was off (no trace= on the kernel command line): switched on for this session.";
        this.postStatus();
        started = performance.now();
        window = (await session.customRequest(
          TORO_TRACE_WINDOW_REQUEST,
          this.request,
        )) as ToroTraceWindowBody;
      }
      this.lastRequestMs = performance.now() - started;
      this.post({ type: "window", window, requestMilliseconds: this.lastRequestMs });
    } catch (error) {
      this.notice = `The trace window could not be read: ${(error as Error).message}`;
      this.postStatus();
    } finally {
      this.fetching = false;
    }
    if (this.fetchAgain && !this.disposed) {
      this.fetchAgain = false;
      await this.fetch();
    }
  }

  private async switchKinds(kinds: string): Promise<void> {
    const session = this.tracker.session;
    if (session === undefined) return;
    try {
      const body = await this.control(session, kinds);
      this.notice = `Trace kinds set to "${kinds}" (mask 0x${body.enabledKinds.toString(16)}).`;
    } catch (error) {
      this.notice = `Trace kinds not changed: ${(error as Error).message}`;
    }
    this.postStatus();
    await this.fetch();
  }

  private async control(session: vscode.DebugSession, kinds: string): Promise<ToroTraceControlBody> {
    const request: ToroTraceControlArguments = { kinds };
    return (await session.customRequest(TORO_TRACE_CONTROL_REQUEST, request)) as ToroTraceControlBody;
  }

  private postStatus(): void {
    this.post({ type: "status", phase: this.phase, sessionName: this.sessionName, notice: this.notice });
  }

  private post(message: TimelineHostMessage): void {
    if (this.clientReady) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (TimelinePanel.current === this) TimelinePanel.current = undefined;
    this.disposed = true;
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
    this.panel.dispose();
  }
}

export function timelineHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const legend = [
    ["#4e9a06", "running (one hue per thread)"],
    ["#e0a030", "polling"],
    ["#3465a4", "halted"],
    ["#5fa8c8", "halted (polling)"],
    ["#cc0000", "lock spin"],
    ["rgba(200, 190, 80, 0.6)", "idle spin / kernel"],
    ["#f0f", "IPI sent / received, wake-up arrow"],
    ["#ff8c00", "interrupt"],
  ]
    .map(([color, name]) => `<span><i class="swatch" data-color="${color}"></i>${name}</span>`)
    .join("");
  return webviewPage(webview, extensionUri, {
    title: "Toro Timeline",
    styles: ["timeline.css"],
    script: "timeline.js",
    body: `  <header>
    <h1>Toro timeline</h1>
    <span id="phase" class="phase"></span>
    <button id="live" aria-pressed="true">Pause</button>
    <button id="fit">Fit</button>
    <label>Trace <select id="kinds">
      <option value="on">all kinds</option>
      <option value="sched,halt,ipi,irq">sched, halt, ipi, irq</option>
      <option value="sched,halt">sched, halt</option>
      <option value="lock">locks</option>
      <option value="off">off</option>
    </select></label>
    <span id="summary"></span>
    <span id="range"></span>
  </header>
  <div id="notice"></div>
  <div id="problem"></div>
  <main>
    <div id="plot">
      <canvas id="timeline" aria-label="per-core event timeline: wheel to zoom, drag to pan, click for details"></canvas>
      <div id="legend">${legend}</div>
      <div id="details">Click an interval to see its event's fields.</div>
    </div>
    <aside id="analysis"></aside>
  </main>`,
  });
}

export function registerTimeline(context: vscode.ExtensionContext, tracker: SessionTracker): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.openTimeline, () => {
      TimelinePanel.show(context, tracker);
    }),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => TimelinePanel.revive(panel, context, tracker),
    }),
    { dispose: () => TimelinePanel.disposeCurrent() },
  );
}
