// messages.ts - the typed messages between the monitor's extension-host side (monitor-panel.ts) and its
// webview client (client/main.ts). Both sides import this file; nothing else crosses the boundary.

import type { MonitorPoint } from "./series";

export type MonitorPhase = "none" | "live" | "ended";

/** Replaces everything the client shows (sent when the client is ready and when a new session starts). */
export interface HistoryMessage {
  type: "history";
  sessionName: string;
  phase: MonitorPhase;
  windowSeconds: number;
  points: MonitorPoint[];
}

/** One new point of the current session. */
export interface PointMessage {
  type: "point";
  point: MonitorPoint;
}

export interface PhaseMessage {
  type: "phase";
  phase: MonitorPhase;
  sessionName: string;
}

export type HostToClientMessage = HistoryMessage | PointMessage | PhaseMessage;

/** The client has loaded and listens. */
export interface ReadyMessage {
  type: "ready";
}

export type ClientToHostMessage = ReadyMessage;

/** State kept by the webview across hide/show (vscode.getState/setState). */
export interface MonitorClientState {
  sessionName: string;
  phase: MonitorPhase;
  windowSeconds: number;
  points: MonitorPoint[];
}

export function isClientToHostMessage(value: unknown): value is ClientToHostMessage {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "ready";
}
