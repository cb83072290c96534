// telemetry-events.ts - sends the custom `toroTelemetry` event at `telemetryHz` for as long as the session
// lives, whether the VM runs or is stopped, and answers `toroSnapshot`. It subscribes to the target's one
// telemetry stream (../engine/telemetry/telemetry-poller.ts: guest RAM file, or QMP when attached; never GDB,
// so the events never stop the VM), which owns the timer; this file only numbers and translates the polls. It
// also tells the user when QEMU's own process is stopped (SIGSTOP) and when it runs again: the guest then does
// not run and GDB requests wait. Pairs with telemetry-body.ts (the translation) and ../protocol/toro-protocol.ts.

import type { VmMonitor } from "../engine/launch/vm-monitor";
import type { TelemetryPoll, TelemetryPoller } from "../engine/telemetry/telemetry-poller";
import type { ToroTelemetryBody } from "../protocol/toro-protocol";
import { telemetryBody } from "./telemetry-body";

/** What the events read: a DebugTarget or, without debugging, a RunTarget. */
export interface TelemetryTarget {
  readonly state: "running" | "stopped" | "ended";
  readonly poller: TelemetryPoller;
  readonly vm: VmMonitor | undefined;
}

export class TelemetryEvents {
  private unsubscribe: (() => void) | undefined;
  /** One per body sent or answered in this session (the protocol's `sequence`). */
  private sequence = 0;
  /** Whether the VM ran when the latest read began: what its body reports (a slow read may end after). */
  private targetAtRead: "running" | "stopped" = "stopped";
  private qemuStopped = false;

  constructor(
    private readonly target: TelemetryTarget,
    private readonly send: (body: ToroTelemetryBody) => void,
    /** One line for the user (the session shows it as important output). */
    private readonly notice: (text: string) => void = () => undefined,
  ) {
    target.poller.onReadStart(() => {
      this.targetAtRead = target.state === "running" ? "running" : "stopped";
    });
  }

  /** Starts the events: the poller ticks at `hz`; 0 sends none (snapshots still work). */
  start(hz: number): void {
    if (hz <= 0 || this.unsubscribe !== undefined) return;
    this.unsubscribe = this.target.poller.onPoll((poll) => {
      if (this.target.state !== "ended") this.send(this.body(poll));
    }, "ticks");
    this.target.poller.setRate(hz);
    this.target.poller.start("after-interval");
  }

  /**
   * The guest reported ready (its serial ready line): its telemetry block is readable now, so the next event
   * goes out at once instead of up to an interval later (what a freshly booted VM's first rows wait for).
   */
  guestReady(): void {
    if (this.unsubscribe !== undefined) this.target.poller.tickNow();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.target.poller.stop();
  }

  /** One body read now (the `toroSnapshot` response). */
  async snapshot(): Promise<ToroTelemetryBody> {
    return this.body(await this.target.poller.pollNow());
  }

  private body(poll: TelemetryPoll): ToroTelemetryBody {
    this.noticeQemuState(poll.qemuStopped, poll.qemuPid);
    const context = { sequence: ++this.sequence, target: this.targetAtRead, vm: this.target.vm?.snapshot };
    return telemetryBody(poll, context);
  }

  private noticeQemuState(stopped: boolean | null, pid: number | null): void {
    if (stopped === null || stopped === this.qemuStopped) return;
    this.qemuStopped = stopped;
    this.notice(
      stopped
        ? `QEMU (pid ${pid}) is stopped by a signal (SIGSTOP?): the guest does not run and GDB requests wait ` +
            `until QEMU continues (kill -CONT ${pid})`
        : `QEMU (pid ${pid}) runs again`,
    );
  }
}
