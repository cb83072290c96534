// launch-timing.ts - measures where the time of each F5 goes: the configuration provider marks its steps
// (resolve, variables substituted, toolchain checked, build task done), a DebugAdapterTracker marks the
// adapter starting, `toroSession` (QEMU + GDB up) and the first readable `toroTelemetry` (where the views'
// store gets it too: session-tracker.ts); the phases (launch-phases.ts) go to the Toro output channel as one
// line once the session is live, with the wall-clock span from F5 reaching the extension to that telemetry.
// The extension bench reads that line for its F5 breakdown rows.

import * as vscode from "vscode";
import {
  TORO_DEBUG_TYPE,
  TORO_SESSION_EVENT,
  TORO_TELEMETRY_EVENT,
  type ToroTelemetryBody,
} from "@toro-studio/debug-adapter/protocol";
import { launchPhases, launchTimingLine, type LaunchMark } from "./launch-phases";

export class LaunchTiming implements vscode.Disposable {
  private marks: Partial<Record<LaunchMark, number>> = {};
  private readonly registration: vscode.Disposable;

  constructor(private readonly output: vscode.OutputChannel) {
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory(TORO_DEBUG_TYPE, {
      createDebugAdapterTracker: () => {
        this.mark("adapterStarting");
        return {
          onDidSendMessage: (message: { type?: string; event?: string; body?: unknown }) => {
            if (message.type !== "event") return;
            if (message.event === TORO_SESSION_EVENT) this.mark("connected");
            else if (
              message.event === TORO_TELEMETRY_EVENT &&
              this.marks.live === undefined &&
              (message.body as ToroTelemetryBody).global !== null
            ) {
              this.mark("live");
              this.report();
            }
          },
        };
      },
    });
  }

  /** "resolve" starts a new launch's marks; the others are kept once (the first time each happens). */
  mark(mark: LaunchMark): void {
    if (mark === "resolve") this.marks = {};
    this.marks[mark] ??= performance.now();
  }

  private report(): void {
    if (this.marks.resolve === undefined) return; // started without F5 resolution (e.g. a restart)
    const { resolve, live } = this.marks;
    // Date.now() is the wall clock the bench reads too (performance.timeOrigin may differ between processes).
    const epochOffset = Date.now() - performance.now();
    const span =
      live === undefined
        ? undefined
        : { startEpochMs: epochOffset + resolve, endEpochMs: epochOffset + live };
    this.output.appendLine(launchTimingLine(launchPhases(this.marks), span));
    this.marks = {};
  }

  dispose(): void {
    this.registration.dispose();
  }
}
