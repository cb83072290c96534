// breakpoint-ledger.ts - which GDB breakpoint stands for which DAP breakpoint. DAP sends the whole list of a
// group each time (a file's source breakpoints, all function breakpoints, all data breakpoints); the ledger
// keeps the ones that did not change (same GDB number, same hit count, same DAP id), deletes the removed
// ones and inserts the new ones. It also answers, at a stop, whether the breakpoint is a logpoint or has a
// hit condition GDB could not express. The VM must be stopped while syncing (GDB can only change QEMU's
// breakpoints then): callers go through DebugTarget.whileStopped. Used by source-breakpoints.ts,
// data-breakpoints.ts and ../stop-handling.ts.

import type { DebugProtocol } from "@vscode/debugprotocol";
import {
  deleteBreakpoints,
  GdbError,
  insertBreakpoint,
  type BreakpointRequest,
  type GdbClient,
} from "../../gdb";
import { planHitCondition } from "./hit-condition";
import { parseLogMessage, type MessagePart } from "./logpoint";

export type BreakpointKind = "source" | "function" | "data";

/** One breakpoint as asked for; `insert` makes it in GDB and returns its number and DAP details. */
export interface DesiredBreakpoint {
  /** Equal keys mean the same breakpoint (kept as is across syncs). */
  key: string;
  hitCondition?: string;
  logMessage?: string;
  /** Inserts it with `ignoreCount` (from the hit condition). Throws GdbError when GDB refuses it. */
  insert(ignoreCount: number): Promise<{ number: number; details: Partial<DebugProtocol.Breakpoint> }>;
  /** Shown when it could not be made: where the client asked for it. */
  requested: Partial<DebugProtocol.Breakpoint>;
  /** For code breakpoints: the GDB request `insert` makes (kept for the hardware fallback). */
  request?: BreakpointRequest;
}

export interface LedgerEntry {
  kind: BreakpointKind;
  key: string;
  dapBreakpoint: DebugProtocol.Breakpoint;
  /** Undefined when GDB refused it (the DAP breakpoint is then unverified). */
  gdbNumber: number | undefined;
  logMessage?: MessagePart[];
  shouldStop?: (hits: number) => boolean;
  /** The GDB request, kept to re-insert it as a hardware breakpoint when QEMU refuses a software one. */
  request?: BreakpointRequest;
}

export class BreakpointLedger {
  private nextId = 1;
  private readonly groups = new Map<string, LedgerEntry[]>();

  /** The entry of GDB breakpoint `number`, if the client made it. */
  byNumber(number: number): LedgerEntry | undefined {
    for (const entries of this.groups.values()) {
      const found = entries.find((entry) => entry.gdbNumber === number);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Makes GDB's breakpoints of `group` match `desired`; returns the DAP breakpoints in the same order. */
  async sync(
    gdb: GdbClient,
    kind: BreakpointKind,
    group: string,
    desired: DesiredBreakpoint[],
  ): Promise<DebugProtocol.Breakpoint[]> {
    const previous = this.groups.get(group) ?? [];
    const kept = new Set<LedgerEntry>();
    const entries: LedgerEntry[] = [];
    for (const wanted of desired) {
      const existing = previous.find((entry) => entry.key === wanted.key && !kept.has(entry));
      if (existing !== undefined) {
        kept.add(existing);
        entries.push(existing);
      } else {
        entries.push(await this.create(kind, wanted));
      }
    }
    const removed = previous.filter((entry) => !kept.has(entry) && entry.gdbNumber !== undefined);
    await deleteBreakpoints(
      gdb,
      removed.map((entry) => entry.gdbNumber!),
    );
    if (entries.length === 0) this.groups.delete(group);
    else this.groups.set(group, entries);
    return entries.map((entry) => entry.dapBreakpoint);
  }

  /** Replaces breakpoint `number` by a hardware one at the same place; returns the new number. */
  async convertToHardware(gdb: GdbClient, number: number): Promise<number | undefined> {
    const entry = this.byNumber(number);
    if (entry?.request === undefined) return undefined;
    await deleteBreakpoints(gdb, [number]);
    const record = await insertBreakpoint(gdb, { ...entry.request, kind: "hardware" });
    entry.gdbNumber = record.number;
    entry.request = { ...entry.request, kind: "hardware" };
    return record.number;
  }

  private async create(kind: BreakpointKind, wanted: DesiredBreakpoint): Promise<LedgerEntry> {
    const id = this.nextId++;
    const unverified = (message: string): LedgerEntry => ({
      kind,
      key: wanted.key,
      gdbNumber: undefined,
      dapBreakpoint: { ...wanted.requested, id, verified: false, message },
    });
    const plan = planHitCondition(wanted.hitCondition);
    if (typeof plan === "string") return unverified(plan);
    try {
      const { number, details } = await wanted.insert(plan.ignoreCount);
      return {
        kind,
        key: wanted.key,
        gdbNumber: number,
        dapBreakpoint: { ...wanted.requested, ...details, id, verified: details.verified ?? true },
        logMessage: wanted.logMessage === undefined ? undefined : parseLogMessage(wanted.logMessage),
        shouldStop: plan.shouldStop,
        request:
          wanted.request === undefined ? undefined : { ...wanted.request, ignoreCount: plan.ignoreCount },
      };
    } catch (error) {
      if (error instanceof GdbError) return unverified(error.miMessage);
      throw error;
    }
  }
}
