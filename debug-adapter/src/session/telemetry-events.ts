// telemetry-events.ts - sends the custom `toroTelemetry` event at `telemetryHz` for as long as the session
// lives, whether the VM runs or is stopped, and answers `toroSnapshot`. Every read goes to the engine's
// telemetry poller (guest RAM file, or QMP when attached): never through GDB while the VM runs, so the
// events never stop it. It also tells the user when QEMU's own process is stopped (SIGSTOP) and when it runs
// again: the guest then does not run and GDB requests wait. Pairs with telemetry-body.ts (the translation) and ../protocol/toro-protocol.ts.

import type { VmMonitor } from "../engine/launch/vm-monitor";
import type { TelemetryPoller } from "../engine/telemetry/telemetry-poller";
import type { ToroTelemetryBody } from "../protocol/toro-protocol";
import { telemetryBody } from "./telemetry-body";

/** What the events read: a DebugTarget or, without debugging, a RunTarget. */
export interface TelemetryTarget {
  readonly state: "running" | "stopped" | "ended";
  readonly poller: TelemetryPoller;
  readonly vm: VmMonitor | undefined;
}

export class TelemetryEvents {
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;
  private busy = false;
  private qemuStopped = false;

  constructor(
    private readonly target: TelemetryTarget,
    private readonly send: (body: ToroTelemetryBody) => void,
    /** One line for the user (the session shows it as important output). */
    private readonly notice: (text: string) => void = () => undefined,
  ) {}

  /** Starts the events; `hz` 0 sends none (snapshots still work). */
  start(hz: number): void {
    if (hz <= 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => void this.tick(), 1000 / hz);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One body read now (the `toroSnapshot` response). */
  async snapshot(): Promise<ToroTelemetryBody> {
    const target = this.target.state === "running" ? "running" : "stopped";
    const poll = await this.target.poller.pollNow();
    this.noticeQemuState(poll.qemuStopped, poll.qemuPid);
    return telemetryBody(poll, { sequence: ++this.sequence, target, vm: this.target.vm?.snapshot });
  }

  private async tick(): Promise<void> {
    if (this.busy || this.target.state === "ended") return; // a slow source: skip rather than pile up
    this.busy = true;
    try {
      const body = await this.snapshot();
      if (this.timer !== undefined) this.send(body);
    } catch {
      // the target went away between the check and the read: the session is ending
    } finally {
      this.busy = false;
    }
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
