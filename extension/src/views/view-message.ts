// view-message.ts - the line a Toro tree view shows above its rows: waiting for the kernel, telemetry not
// readable yet, nothing to list, or "session ended: last snapshot". Pure; used by row-tree-provider.ts and
// tested in test/unit/view-message.test.ts.

import type { TelemetryStore } from "../telemetry/telemetry-store";

/** The message above a view's rows for the store's state; undefined when the rows speak for themselves. */
export function viewMessage(store: TelemetryStore, rowCount: number, emptyText: string): string | undefined {
  const body = store.latest;
  if (store.phase === "ended") {
    const endedAt = store.endedAtMs === null ? "" : ` at ${new Date(store.endedAtMs).toLocaleTimeString()}`;
    return `Session "${store.sessionName}" ended${endedAt}: showing its last snapshot.`;
  }
  if (store.phase !== "live") return undefined;
  if (body === null) return "Waiting for the kernel's telemetry…";
  if (body.unreadable !== null) return `Telemetry not readable yet: ${body.unreadable}`;
  return rowCount === 0 ? emptyText : undefined;
}
