// run-aware-clock.ts - the guest clock of a debugged VM. Under TCG the guest TSC stands still while the VM
// is stopped (QEMU disables its ticks on vm_stop), but ../telemetry/guest-clock.ts extrapolates from host
// time, and never moves backwards: after a minute at a breakpoint it would run a minute ahead for good. This
// clock freezes its estimate when the VM stops and, when it runs again, continues from the frozen value
// with a fresh GuestClock. reset() forgets everything (after a VM reset the TSC starts again from 0).
// Given to ../telemetry/telemetry-poller.ts as its clock; debug-target.ts reports stops and resumes.

import { performance } from "node:perf_hooks";
import { GuestClock } from "../telemetry/guest-clock";
import type { TelemetrySnapshot } from "../telemetry/snapshot";

export class RunAwareClock extends GuestClock {
  private inner = new GuestClock();
  /** The estimate at the moment the VM stopped; undefined while it runs. */
  private frozenTsc: number | null | undefined;
  private rateHz = 0;

  override anchor(tsc: number, hostMs: number): void {
    if (this.frozenTsc === undefined) this.inner.anchor(tsc, hostMs);
  }

  /** Learns from a snapshot only while the VM runs (a stopped guest writes nothing new). */
  override observe(snapshot: TelemetrySnapshot): void {
    if (snapshot.global.tscHz > 0) this.rateHz = snapshot.global.tscHz;
    if (this.frozenTsc === undefined) this.inner.observe(snapshot);
  }

  override estimate(hostMs: number): number | null {
    return this.frozenTsc !== undefined ? this.frozenTsc : this.inner.estimate(hostMs);
  }

  /** The VM stopped at `hostMs`: the guest TSC stays where it was then. */
  vmStopped(hostMs: number = performance.now()): void {
    if (this.frozenTsc === undefined) this.frozenTsc = this.inner.estimate(hostMs);
  }

  /** The VM runs again from `hostMs`: the guest TSC continues from the frozen value. */
  vmResumed(hostMs: number = performance.now()): void {
    if (this.frozenTsc === undefined) return;
    const frozen = this.frozenTsc;
    this.frozenTsc = undefined;
    this.inner = new GuestClock();
    if (frozen !== null && this.rateHz > 0) {
      this.inner.observe(rateOnly(this.rateHz));
      this.inner.anchor(frozen, hostMs);
    }
  }

  /** After a VM reset: no anchor, no rate (the kernel calibrates again); running. */
  reset(): void {
    this.inner = new GuestClock();
    this.frozenTsc = undefined;
    this.rateHz = 0;
  }
}

/** A snapshot that only teaches a GuestClock the TSC rate (no TSC values, so it anchors nothing). */
function rateOnly(tscHz: number): TelemetrySnapshot {
  return {
    abiVersion: 0,
    global: {
      torn: false,
      idlePolicy: "unknown",
      coresDetected: 0,
      coresOnline: 0,
      locksRegistered: 0,
      threadSlotsUsed: 0,
      tscHz,
      bootTsc: 0,
      readyTsc: null,
      pollGraceMicroseconds: 0,
      tickHz: 0,
      panic: null,
      cmdline: "",
      hypervisor: null,
      apicMode: null,
    },
    cores: [],
    locks: [],
    threads: [],
    tornRecords: 0,
    hostTimeMs: 0,
  };
}
