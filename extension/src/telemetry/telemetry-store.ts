// telemetry-store.ts - what the views show: the current Toro debug session's phase, its latest toroTelemetry
// body and the last minute of monitor points. After the session ends the last snapshot stays, marked "ended",
// until the next session starts. No vscode: session-tracker.ts feeds it from DAP events; the views, the
// status bar and the monitor listen. Tested in test/unit/telemetry-store.test.ts.

import type { ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";
import { monitorPoint, trimToWindow, type MonitorPoint } from "../monitor/common/series";
import { Listeners } from "./listeners";

export type StorePhase = "none" | "live" | "ended";

export type StoreChange =
  | { kind: "session"; phase: StorePhase }
  | {
      kind: "telemetry";
      body: ToroTelemetryBody;
      point: MonitorPoint | null;
      /** The session's first body with a readable block: views show it at once, past their refresh throttle. */
      firstReadable: boolean;
    };

export const MONITOR_WINDOW_SECONDS = 60;

export class TelemetryStore {
  private currentSessionId: string | null = null;
  private currentSessionName = "";
  private currentPhase: StorePhase = "none";
  private latestBody: ToroTelemetryBody | null = null;
  private points: MonitorPoint[] = [];
  private endedAt: number | null = null;
  private sawReadableBody = false;
  private liveSince: number | null = null;
  private readonly changes = new Listeners<StoreChange>();

  constructor(readonly windowSeconds: number = MONITOR_WINDOW_SECONDS) {}

  get phase(): StorePhase {
    return this.currentPhase;
  }
  get sessionId(): string | null {
    return this.currentSessionId;
  }
  get sessionName(): string {
    return this.currentSessionName;
  }
  /** The newest body of the current (or last) session; null before its first event. */
  get latest(): ToroTelemetryBody | null {
    return this.latestBody;
  }
  /** Host time (ms since the epoch) at which the last session ended; null while live or before any. */
  get endedAtMs(): number | null {
    return this.endedAt;
  }
  /** The points of the last `windowSeconds` of the current (or last) session, oldest first. */
  get history(): MonitorPoint[] {
    return trimToWindow(this.points, this.windowSeconds);
  }

  onDidChange(listener: (change: StoreChange) => void): () => void {
    return this.changes.on(listener);
  }

  /** Whether the current (or last) session has had a body with a readable block. */
  get sawReadable(): boolean {
    return this.sawReadableBody;
  }
  /** Host time (ms since the epoch) at which the current (or last) session began; null before any. */
  get liveSinceMs(): number | null {
    return this.liveSince;
  }

  /** A new session becomes current: the previous session's snapshot and history are dropped. */
  beginSession(sessionId: string, sessionName: string, nowMs: number = Date.now()): void {
    this.currentSessionId = sessionId;
    this.currentSessionName = sessionName;
    this.currentPhase = "live";
    this.latestBody = null;
    this.points = [];
    this.endedAt = null;
    this.sawReadableBody = false;
    this.liveSince = nowMs;
    this.changes.emit({ kind: "session", phase: "live" });
  }

  /**
   * A toroTelemetry body (or toroSnapshot response) of `sessionId`. Ignored when it belongs to another session,
   * arrives after the session ended, or is not newer than the latest one (sequence numbers only increase).
   */
  receive(sessionId: string, body: ToroTelemetryBody): boolean {
    if (sessionId !== this.currentSessionId || this.currentPhase !== "live") return false;
    if (this.latestBody !== null && body.sequence <= this.latestBody.sequence) return false;
    this.latestBody = body;
    const point = monitorPoint(body);
    if (point !== null) {
      this.points.push(point);
      // Trim in batches: cheap per event, never more than a few seconds over the window.
      const oldest = this.points[0].timeSeconds;
      if (point.timeSeconds - oldest > this.windowSeconds + 5)
        this.points = trimToWindow(this.points, this.windowSeconds);
    }
    const firstReadable = body.global !== null && !this.sawReadableBody;
    if (firstReadable) this.sawReadableBody = true;
    this.changes.emit({ kind: "telemetry", body, point, firstReadable });
    return true;
  }

  /** The session ended: keep its last snapshot, marked ended. Other sessions' ends are ignored. */
  endSession(sessionId: string, nowMs: number): void {
    if (sessionId !== this.currentSessionId || this.currentPhase !== "live") return;
    this.currentPhase = "ended";
    this.endedAt = nowMs;
    this.changes.emit({ kind: "session", phase: "ended" });
  }
}
