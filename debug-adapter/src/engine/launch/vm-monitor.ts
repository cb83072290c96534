// vm-monitor.ts - what QEMU itself says about the VM over QMP, independent of GDB: its run state, how many
// times it stopped (every vm_stop emits a STOP event, whoever caused it), and why it last shut down (a
// triple fault is a SHUTDOWN with reason `guest-reset` under `-action reboot=shutdown,shutdown=pause`).
// Used by debug-target.ts (stop classification) and the telemetry events (proof that telemetry never stops
// the VM). Pairs with ../qemu/qmp-client.ts.

import type { QmpClient, QmpEvent } from "../qemu/qmp-client";

export interface VmSnapshot {
  /** QEMU's run state ("running", "debug", "paused", "shutdown", "prelaunch"...), null until known. */
  status: string | null;
  /** STOP events seen since monitoring began. */
  stops: number;
}

export class VmMonitor {
  private currentStatus: string | null = null;
  private stopCount = 0;
  /** Counts STOP and RESUME events: a `query-status` answer is only used if none arrived since it was asked. */
  private transitions = 0;
  private lastShutdownReason: string | null = null;
  private readonly shutdownWaiters = new Set<(reason: string) => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly qmp: QmpClient) {
    this.unsubscribe = qmp.onEvent((event) => this.onEvent(event));
    this.refreshStatus();
  }

  get snapshot(): VmSnapshot {
    return { status: this.currentStatus, stops: this.stopCount };
  }

  /** The reason of the last SHUTDOWN event ("guest-reset", "guest-shutdown", "host-signal"...), if any. */
  get shutdownReason(): string | null {
    return this.lastShutdownReason;
  }

  /** Forgets the last shutdown (after a reset booted the VM again). */
  clearShutdown(): void {
    this.lastShutdownReason = null;
  }

  /**
   * The shutdown reason, waiting up to `timeoutMs` for the SHUTDOWN event when none has arrived yet (GDB's
   * stop record and QMP's event travel on different sockets). Null when no event came.
   */
  async waitForShutdownReason(timeoutMs: number): Promise<string | null> {
    if (this.lastShutdownReason !== null) return this.lastShutdownReason;
    let waiter: ((reason: string) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<string | null>((resolve) => {
        waiter = resolve;
        this.shutdownWaiters.add(waiter);
        timer = setTimeout(() => resolve(null), timeoutMs);
      });
    } finally {
      clearTimeout(timer);
      if (waiter !== undefined) this.shutdownWaiters.delete(waiter);
    }
  }

  close(): void {
    this.unsubscribe();
  }

  private onEvent(event: QmpEvent): void {
    switch (event.event) {
      case "STOP":
        this.transitions += 1;
        this.stopCount += 1;
        this.currentStatus = "stopped";
        this.refreshStatus();
        break;
      case "RESUME":
        this.transitions += 1;
        this.currentStatus = "running";
        break;
      case "SHUTDOWN": {
        const reason = String(event.data?.reason ?? "unknown");
        this.lastShutdownReason = reason;
        for (const waiter of this.shutdownWaiters) waiter(reason);
        this.shutdownWaiters.clear();
        break;
      }
    }
  }

  /**
   * Replaces the coarse status from events with QEMU's exact run state (never stops the VM). QEMU computes
   * the answer in one main-loop step and may send it after a later event (a `cont` from the gdbstub emits
   * RESUME in between), so an answer that crossed a STOP or RESUME is stale and dropped: events win.
   */
  private refreshStatus(): void {
    const asked = this.transitions;
    this.qmp
      .execute<{ status?: string }>("query-status")
      .then((result) => {
        if (asked === this.transitions && typeof result?.status === "string")
          this.currentStatus = result.status;
      })
      .catch(() => undefined); // QMP closing: QEMU is going away, which the launcher reports
  }
}
