// view-message.ts - the line a Toro tree view shows above its rows: waiting for the kernel, telemetry not
// readable yet (once booting has taken longer than it should), nothing to list, or "session ended: last snapshot". Pure; used by row-tree-provider.ts and
// tested in test/unit/view-message.test.ts.

import type { TelemetryStore } from "../telemetry/telemetry-store";

/**
 * How long a session may go without a readable block before the views say why (the reader's reason): a kernel
 * still booting is only waited for. A message that changes just before the first rows would hold those rows
 * back (VS Code redraws a tree 200 ms after the last change of its data or message).
 */
export const UNREADABLE_GRACE_MS = 2000;

/**
 * The message above a view's rows for the store's state at `nowMs` (ms since the epoch); undefined when the
 * rows speak for themselves.
 */
export function viewMessage(
  store: TelemetryStore,
  rowCount: number,
  emptyText: string,
  nowMs: number = Date.now(),
): string | undefined {
  const body = store.latest;
  if (store.phase === "ended") {
    const endedAt = store.endedAtMs === null ? "" : ` at ${new Date(store.endedAtMs).toLocaleTimeString()}`;
    return `Session "${store.sessionName}" ended${endedAt}: showing its last snapshot.`;
  }
  if (store.phase !== "live") return undefined;
  const booting = !store.sawReadable && nowMs - (store.liveSinceMs ?? nowMs) < UNREADABLE_GRACE_MS;
  if (body === null || (body.unreadable !== null && booting)) return "Waiting for the kernel's telemetry…";
  if (body.unreadable !== null) return `Telemetry not readable yet: ${body.unreadable}`;
  return rowCount === 0 ? emptyText : undefined;
}
