// launch-progress.ts - the progress notification of a launch: "building <app>" while the toro build task
// runs (configuration-provider.ts), then "booting" (QEMU and GDB starting; toroSession: the kernel booting)
// until the kernel is up (the first readable toroTelemetry event), the VM stops (breakpoint, entry) or the
// session ends. A DebugAdapterTracker watches the adapter's messages.

import * as vscode from "vscode";
import {
  TORO_DEBUG_TYPE,
  TORO_SESSION_EVENT,
  TORO_TELEMETRY_EVENT,
  type ToroSessionBody,
  type ToroTelemetryBody,
} from "@toro-studio/debug-adapter/protocol";

/** A launch that never reports back still closes its notification after this long. */
const LAUNCH_PROGRESS_TIMEOUT_MS = 120_000;

interface OpenProgress {
  report(message: string): void;
  finish(): void;
}

export class LaunchProgress implements vscode.Disposable {
  private open: OpenProgress | null = null;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory(TORO_DEBUG_TYPE, {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: unknown }) => {
          if (this.open === null || message.type !== "event") return;
          if (message.event === "stopped" || message.event === "terminated") this.finish();
          else if (message.event === TORO_SESSION_EVENT) {
            const session = message.body as ToroSessionBody;
            this.report(`kernel booting on ${session.cpus} vCPU${session.cpus === 1 ? "" : "s"}…`);
          } else if (
            message.event === TORO_TELEMETRY_EVENT &&
            (message.body as ToroTelemetryBody).global !== null
          )
            this.finish();
        },
        onExit: () => this.finish(),
      }),
    });
  }

  /** Opens the notification (closing any earlier one) with its first message. */
  begin(title: string, message: string): void {
    this.finish();
    let latestMessage = message;
    let reporter: vscode.Progress<{ message?: string }> | null = null;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const timer = setTimeout(() => open.finish(), LAUNCH_PROGRESS_TIMEOUT_MS);
    const open: OpenProgress = {
      report: (text) => {
        latestMessage = text;
        reporter?.report({ message: text });
      },
      finish: () => {
        clearTimeout(timer);
        resolveDone();
      },
    };
    this.open = open;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: false },
      (progress) => {
        reporter = progress;
        progress.report({ message: latestMessage });
        return done;
      },
    );
  }

  report(message: string): void {
    this.open?.report(message);
  }

  finish(): void {
    const open = this.open;
    this.open = null;
    open?.finish();
  }

  dispose(): void {
    this.finish();
    this.registration.dispose();
  }
}
