// launch-progress.ts - the progress notification of a launch: "building <app>" while the toro build task
// runs (configuration-provider.ts), then "booting" (QEMU and GDB starting; toroSession: the kernel booting)
// until the kernel is up (the first readable toroTelemetry event), the VM stops (breakpoint, entry) or the
// session ends, told by the adapter tracker (adapter-messages.ts).

import * as vscode from "vscode";
import type { ToroSessionBody, ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";
import type { AdapterMessageConsumer } from "./adapter-messages";

/** A launch that never reports back still closes its notification after this long. */
const LAUNCH_PROGRESS_TIMEOUT_MS = 120_000;

interface OpenProgress {
  report(message: string): void;
  finish(): void;
}

export class LaunchProgress implements AdapterMessageConsumer, vscode.Disposable {
  private open: OpenProgress | null = null;

  sessionStarted(_session: vscode.DebugSession, body: ToroSessionBody): void {
    this.report(`kernel booting on ${body.cpus} vCPU${body.cpus === 1 ? "" : "s"}…`);
  }

  telemetry(_session: vscode.DebugSession, body: ToroTelemetryBody): void {
    if (body.global !== null) this.finish();
  }

  stopped(): void {
    this.finish();
  }

  ended(): void {
    this.finish();
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
  }
}
