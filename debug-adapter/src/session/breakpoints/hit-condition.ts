// hit-condition.ts - DAP hit conditions ("5", ">= 5", "> 5", "== 5", "< 5", "<= 5", "% 5") as GDB ignore
// counts where GDB can do it alone (the VM does not even stop for the skipped hits), plus a check on GDB's
// hit count at each stop for the rest. Pure; used by breakpoint-ledger.ts.

export interface HitPlan {
  /** Hits GDB skips before the first stop. */
  ignoreCount: number;
  /** When set, a stop is shown only if this holds for the hit count (1 = first hit); others resume. */
  shouldStop?: (hits: number) => boolean;
}

const FORM = /^\s*(>=|<=|==|>|<|%)?\s*(\d+)\s*$/;

/** The plan for `condition`, or a problem sentence when it is not understood. */
export function planHitCondition(condition: string | undefined): HitPlan | string {
  if (condition === undefined || condition.trim() === "") return { ignoreCount: 0 };
  const match = FORM.exec(condition);
  if (match === null) {
    return `hit count must be a number, optionally after >=, >, ==, <, <= or %, e.g. "5" or "% 3"; got "${condition}"`;
  }
  const operator = match[1] ?? ">=";
  const count = Number(match[2]);
  switch (operator) {
    case ">=":
      return { ignoreCount: Math.max(0, count - 1) };
    case ">":
      return { ignoreCount: count };
    case "==":
      return { ignoreCount: Math.max(0, count - 1), shouldStop: (hits) => hits === count };
    case "<":
      return { ignoreCount: 0, shouldStop: (hits) => hits < count };
    case "<=":
      return { ignoreCount: 0, shouldStop: (hits) => hits <= count };
    default: // "%"
      if (count === 0) return 'hit count "% 0" divides by zero; use "% 1" or more';
      return { ignoreCount: 0, shouldStop: (hits) => hits % count === 0 };
  }
}
