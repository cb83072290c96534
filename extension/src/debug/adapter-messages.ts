// adapter-messages.ts - the one DebugAdapterTracker of `toro` sessions (registered in extension.ts): VS Code
// creates it as it starts a session's adapter and hands it every message the adapter sends; it passes what
// the consumers want to each of them in the order given (the views' store first, then the launch progress,
// the F5 timing and the spare adapters). Messages reach it in this extension host, without a round trip
// through the workbench (~70 ms later for a custom event listener). Pure (no vscode at run time): the unit
// tests drive it with recorded messages.

import type * as vscode from "vscode";
import {
  TORO_SESSION_EVENT,
  TORO_TELEMETRY_EVENT,
  type ToroSessionBody,
  type ToroTelemetryBody,
} from "@toro-studio/debug-adapter/protocol";

/** What a consumer is told; every method optional. */
export interface AdapterMessageConsumer {
  /** VS Code is starting `session`'s adapter (before its first message). */
  adapterStarting?(session: vscode.DebugSession): void;
  /** `toroSession`: QEMU started and GDB connected (or the VM adopted). */
  sessionStarted?(session: vscode.DebugSession, body: ToroSessionBody): void;
  /** Every `toroTelemetry` event; `firstLive` for the session's first one with a readable block. */
  telemetry?(session: vscode.DebugSession, body: ToroTelemetryBody, firstLive: boolean): void;
  /** The VM stopped (breakpoint, entry, pause...). */
  stopped?(session: vscode.DebugSession): void;
  /** `terminated`, or the adapter exited. */
  ended?(session: vscode.DebugSession): void;
}

/** One adapter message as the consumers see it (pure: the unit tests check it). */
export type AdapterEvent =
  | { kind: "session"; body: ToroSessionBody }
  | { kind: "telemetry"; body: ToroTelemetryBody; readable: boolean }
  | { kind: "stopped" }
  | { kind: "ended" }
  | { kind: "other" };

export function adapterEvent(message: { type?: string; event?: string; body?: unknown }): AdapterEvent {
  if (message.type !== "event") return { kind: "other" };
  switch (message.event) {
    case TORO_SESSION_EVENT:
      return { kind: "session", body: message.body as ToroSessionBody };
    case TORO_TELEMETRY_EVENT: {
      const body = message.body as ToroTelemetryBody;
      return { kind: "telemetry", body, readable: body.global !== null };
    }
    case "stopped":
      return { kind: "stopped" };
    case "terminated":
      return { kind: "ended" };
    default:
      return { kind: "other" };
  }
}

/** The tracker of one session, dispatching to `consumers` (tells them the adapter is starting first). */
export function adapterMessageTracker(
  consumers: readonly AdapterMessageConsumer[],
  session: vscode.DebugSession,
): vscode.DebugAdapterTracker {
  for (const consumer of consumers) consumer.adapterStarting?.(session);
  let live = false;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    for (const consumer of consumers) consumer.ended?.(session);
  };
  return {
    onDidSendMessage: (message: { type?: string; event?: string; body?: unknown }) => {
      const event = adapterEvent(message);
      switch (event.kind) {
        case "session":
          for (const consumer of consumers) consumer.sessionStarted?.(session, event.body);
          break;
        case "telemetry": {
          const firstLive = event.readable && !live;
          live ||= event.readable;
          for (const consumer of consumers) consumer.telemetry?.(session, event.body, firstLive);
          break;
        }
        case "stopped":
          for (const consumer of consumers) consumer.stopped?.(session);
          break;
        case "ended":
          end();
          break;
      }
    },
    onExit: end,
  };
}
