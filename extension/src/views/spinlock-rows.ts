// spinlock-rows.ts - view model of the Spinlocks view: one row per registered spinlock, hot locks first
// (most contentions, then most cycles spun). Pure; tested in test/unit/spinlock-rows.test.ts.

import type { ToroSpinlock, ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";
import { formatCompact, formatCount, formatMicroseconds } from "./format";
import type { TreeRow } from "./tree-row";

export interface SpinlockRow extends TreeRow {
  name: string;
}

/** Hot first: contentions, then cycles spun, then acquisitions, then name (a stable order for equal locks). */
export function compareSpinlockHeat(left: ToroSpinlock, right: ToroSpinlock): number {
  return (
    right.contentions - left.contentions ||
    right.cyclesSpun - left.cyclesSpun ||
    right.acquisitions - left.acquisitions ||
    left.name.localeCompare(right.name)
  );
}

export function spinlockRows(body: ToroTelemetryBody | null): SpinlockRow[] {
  if (body === null) return [];
  return [...body.spinlocks].sort(compareSpinlockHeat).map(spinlockRow);
}

export function spinlockRow(lock: ToroSpinlock, position: number): SpinlockRow {
  const owner = lock.ownerCore === null ? "free" : `held by CPU ${lock.ownerCore}`;
  const contentionShare = lock.acquisitions > 0 ? lock.contentions / lock.acquisitions : 0;
  const hot = lock.contentions > 0;
  return {
    // Names are unique in the kernel's registry; the position keeps ids unique even if two were not.
    id: `spinlock-${lock.name}-${position}`,
    name: lock.name,
    label: lock.name,
    description: [
      owner,
      `${formatCount(lock.acquisitions)} acquired`,
      `${formatCount(lock.contentions)} contended`,
      `${formatCompact(lock.cyclesSpun)} cycles spun`,
      `hold ≤ ${formatMicroseconds(lock.longestHoldMicroseconds)}`,
    ].join(" · "),
    tooltip: [
      `**${lock.name}**: ${owner}`,
      "",
      "| | |",
      "|---|---:|",
      `| acquisitions | ${formatCount(lock.acquisitions)} |`,
      `| contentions | ${formatCount(lock.contentions)} (${(contentionShare * 100).toFixed(1)}%) |`,
      `| cycles spun | ${formatCount(lock.cyclesSpun)} |`,
      `| longest hold | ${formatMicroseconds(lock.longestHoldMicroseconds)} |`,
    ].join("\n"),
    icon: {
      codicon: lock.ownerCore === null ? "unlock" : "lock",
      color: hot ? "charts.orange" : null,
    },
    contextValue: lock.ownerCore === null ? "toroSpinlock.free" : "toroSpinlock.held",
  };
}
