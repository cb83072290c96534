// session-tracker.ts - feeds the TelemetryStore from VS Code's debug events: a `toro` session starting makes
// it current (as soon as VS Code starts its adapter, well before onDidStartDebugSession: the views clear
// the previous session's rows then, not just before the first telemetry, whose redraw VS Code would then
// hold back for its 200 ms tree-update debounce), its toroTelemetry events update it (taken from the
// adapter's messages by a DebugAdapterTracker, in this extension host: a custom event listener would get
// each one only after a round trip through the workbench, ~70 ms later), its end keeps the last snapshot
// marked "ended". Also
// answers "which session do the views show" for the commands (select core, switch idle policy), and keeps
// the `toro.sessionState` context key (none / live / ended) for the views' when-clauses.

import * as vscode from "vscode";
import { TORO_DEBUG_TYPE, type ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";
import { ContextKey } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";
import type { AdapterMessageConsumer } from "./adapter-messages";

export class SessionTracker implements AdapterMessageConsumer, vscode.Disposable {
  private current: vscode.DebugSession | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly store: TelemetryStore) {
    const unsubscribe = store.onDidChange((change) => {
      if (change.kind === "session")
        void vscode.commands.executeCommand("setContext", ContextKey.sessionState, change.phase);
    });
    this.subscriptions.push(
      { dispose: unsubscribe },
      vscode.debug.onDidStartDebugSession((session) => this.begin(store, session)),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type !== TORO_DEBUG_TYPE) return;
        store.endSession(session.id, Date.now());
        if (this.current?.id === session.id) this.current = undefined;
      }),
    );
  }

  adapterStarting(session: vscode.DebugSession): void {
    this.begin(this.store, session);
  }

  telemetry(session: vscode.DebugSession, body: ToroTelemetryBody): void {
    this.store.receive(session.id, body);
  }

  /** Makes `session` current, once: the second call for the same live session keeps what it received. */
  private begin(store: TelemetryStore, session: vscode.DebugSession): void {
    if (session.type !== TORO_DEBUG_TYPE) return;
    if (this.current?.id === session.id && store.sessionId === session.id && store.phase === "live") return;
    this.current = session;
    store.beginSession(session.id, session.name);
  }

  /** The live session the views show, undefined when none runs. */
  get session(): vscode.DebugSession | undefined {
    return this.current;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
