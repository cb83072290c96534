// session-tracker.ts - feeds the TelemetryStore from VS Code's debug events: a `toro` session starting makes
// it current, its toroTelemetry events update it, its end keeps the last snapshot marked "ended". Also
// answers "which session do the views show" for the commands (select core, switch idle policy), and keeps
// the `toro.sessionState` context key (none / live / ended) for the views' when-clauses.

import * as vscode from "vscode";
import {
  TORO_DEBUG_TYPE,
  TORO_TELEMETRY_EVENT,
  type ToroTelemetryBody,
} from "@toro-studio/debug-adapter/protocol";
import { ContextKey } from "../ids";
import type { TelemetryStore } from "../telemetry/telemetry-store";

export class SessionTracker implements vscode.Disposable {
  private current: vscode.DebugSession | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(store: TelemetryStore) {
    const unsubscribe = store.onDidChange((change) => {
      if (change.kind === "session")
        void vscode.commands.executeCommand("setContext", ContextKey.sessionState, change.phase);
    });
    this.subscriptions.push(
      { dispose: unsubscribe },
      vscode.debug.onDidStartDebugSession((session) => {
        if (session.type !== TORO_DEBUG_TYPE) return;
        this.current = session;
        store.beginSession(session.id, session.name);
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.type !== TORO_DEBUG_TYPE || event.event !== TORO_TELEMETRY_EVENT) return;
        store.receive(event.session.id, event.body as ToroTelemetryBody);
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type !== TORO_DEBUG_TYPE) return;
        store.endSession(session.id, Date.now());
        if (this.current?.id === session.id) this.current = undefined;
      }),
    );
  }

  /** The live session the views show, undefined when none runs. */
  get session(): vscode.DebugSession | undefined {
    return this.current;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
