// launch-timing.ts - measures where the time of each F5 goes: the configuration provider marks its steps
// (resolve, variables substituted, toolchain checked, build task done); the adapter tracker's messages
// (adapter-messages.ts) mark the adapter starting, `toroSession` (QEMU + GDB up) and the first readable `toroTelemetry` (where the views'
// store gets it too, just before: session-tracker.ts); the phases (launch-phases.ts) go to the Toro output channel as one
// line once the session is live, with the wall-clock span from F5 reaching the extension to that telemetry.
// The extension bench reads that line for its F5 breakdown rows.

import type * as vscode from "vscode";
import type { AdapterMessageConsumer } from "./adapter-messages";
import { launchPhases, launchTimingLine, type LaunchMark } from "./launch-phases";

export class LaunchTiming implements AdapterMessageConsumer {
  private marks: Partial<Record<LaunchMark, number>> = {};

  constructor(private readonly output: Pick<vscode.OutputChannel, "appendLine">) {}

  adapterStarting(): void {
    this.mark("adapterStarting");
  }

  sessionStarted(): void {
    this.mark("connected");
  }

  telemetry(_session: vscode.DebugSession, _body: unknown, firstLive: boolean): void {
    if (!firstLive || this.marks.live !== undefined) return;
    this.mark("live");
    this.report();
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
}
