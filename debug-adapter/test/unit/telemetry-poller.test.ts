// telemetry-poller.test.ts - the poller over a scripted source (no QEMU): rate, per-poll activity against
// the previous poll or a window, unreadable results, no overlapping reads with a slow asynchronous source,
// rate changes, ticks brought forward (tickNow), pollNow, and closing (which closes an owned source only).

import { afterEach, describe, expect, it } from "vitest";
import { decodeTelemetry } from "../../src/engine/telemetry/decoder";
import { TelemetryReadResult } from "../../src/engine/telemetry/snapshot";
import { TelemetrySource } from "../../src/engine/telemetry/telemetry-reader";
import { TelemetryPoll, TelemetryPoller } from "../../src/engine/telemetry/telemetry-poller";
import { SyntheticBlock } from "../helpers/synthetic-block";

const HZ = 1_000_000_000;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** A source whose block gains `haltsPerRead` halts on core 0 per read, optionally slow (asynchronous). */
class ScriptedSource implements TelemetrySource {
  readonly kind = "qmp" as const;
  readonly block = new SyntheticBlock(2, HZ);
  reads = 0;
  concurrent = 0;
  maximumConcurrent = 0;
  closed = false;
  unreadableNext = false;

  constructor(
    private readonly delayMs = 0,
    private readonly haltsPerRead = 10,
  ) {}

  async read(): Promise<TelemetryReadResult> {
    this.concurrent++;
    this.maximumConcurrent = Math.max(this.maximumConcurrent, this.concurrent);
    try {
      if (this.delayMs > 0) await sleep(this.delayMs);
      this.reads++;
      if (this.unreadableNext) {
        this.unreadableNext = false;
        return { unreadable: "not booted yet", hostTimeMs: performance.now() };
      }
      this.block.setCore(0, "halts", this.reads * this.haltsPerRead);
      return decodeTelemetry(this.block.reader());
    } finally {
      this.concurrent--;
    }
  }

  close(): void {
    this.closed = true;
  }
}

const pollers: TelemetryPoller[] = [];
function makePoller(...args: ConstructorParameters<typeof TelemetryPoller>): TelemetryPoller {
  const poller = new TelemetryPoller(...args);
  pollers.push(poller);
  return poller;
}
afterEach(async () => {
  await Promise.all(pollers.map((poller) => poller.close()));
  pollers.length = 0;
});

describe("TelemetryPoller", () => {
  it("polls at the set rate and derives halts per second against the previous poll", async () => {
    const source = new ScriptedSource();
    const poller = makePoller({ source, rateHz: 50 });
    const polls: TelemetryPoll[] = [];
    poller.onPoll((poll) => polls.push(poll));
    poller.start();
    await sleep(500);
    poller.stop();
    // 50 Hz for 0.5 s is 25 polls; timers on a loaded machine may run late, never early.
    expect(polls.length).toBeGreaterThanOrEqual(5);
    expect(polls.length).toBeLessThanOrEqual(27);
    expect(polls.map((poll) => poll.sequence)).toEqual(polls.map((_, index) => index + 1));
    expect(polls[0].activity![0].haltsPerSecond).toBeNull(); // nothing to compare with yet
    const second = polls[1];
    const elapsedSeconds = (second.hostTimeMs - polls[0].hostTimeMs) / 1000;
    expect(second.activity![0].haltsPerSecond).toBeCloseTo(10 / elapsedSeconds, 6);
    expect(second).toMatchObject({ source: "qmp", unreadable: null, hostCpuPercent: null, qemuPid: null });
    expect(second.sample!.snapshot.cores[0].halts).toBe(20);
    expect(poller.latest).toBe(polls[polls.length - 1]);
  });

  it("measures rates over activityWindowMs when asked", async () => {
    const source = new ScriptedSource();
    const poller = makePoller({ source, rateHz: 100, activityWindowMs: 200 });
    const polls: TelemetryPoll[] = [];
    poller.onPoll((poll) => polls.push(poll));
    poller.start();
    await sleep(600);
    poller.stop();
    const last = polls[polls.length - 1];
    const baseline = [...polls].reverse().find((poll) => last.hostTimeMs - poll.hostTimeMs >= 200)!;
    const halts = last.sample!.snapshot.cores[0].halts - baseline.sample!.snapshot.cores[0].halts;
    expect(last.activity![0].haltsPerSecond).toBeCloseTo(
      halts / ((last.hostTimeMs - baseline.hostTimeMs) / 1000),
      6,
    );
  });

  it("never overlaps reads of a slow source and counts the skipped ticks", async () => {
    const source = new ScriptedSource(30);
    const poller = makePoller({ source, rateHz: 200 });
    poller.start();
    await sleep(400);
    poller.stop();
    await poller.pollNow();
    expect(source.maximumConcurrent).toBe(1);
    expect(poller.statistics.skippedTicks).toBeGreaterThan(0);
    expect(poller.statistics.polls).toBe(source.reads);
  });

  it("passes unreadable results on with the reason, and recovers", async () => {
    const source = new ScriptedSource();
    source.unreadableNext = true;
    const poller = makePoller({ source });
    const first = await poller.pollNow();
    expect(first).toMatchObject({ sample: null, activity: null, unreadable: "not booted yet" });
    const second = await poller.pollNow();
    expect(second.unreadable).toBeNull();
    expect(second.activity).toHaveLength(2);
    expect(poller.statistics).toMatchObject({ polls: 2, unreadable: 1 });
  });

  it("joins a read in flight instead of starting a second one", async () => {
    const source = new ScriptedSource(20);
    const poller = makePoller({ source });
    const [first, second] = await Promise.all([poller.pollNow(), poller.pollNow()]);
    expect(first).toBe(second);
    expect(source.reads).toBe(1);
  });

  it("samples a known process's host CPU", async () => {
    const source = new ScriptedSource();
    const poller = makePoller({ source, qemuPid: process.pid, hostCpuWindowMs: 1000 });
    await poller.pollNow();
    const deadline = Date.now() + 400;
    while (Date.now() < deadline) Math.sqrt(Math.random()); // burn CPU so the ticks move
    const poll = await poller.pollNow();
    expect(poll.qemuPid).toBe(process.pid);
    expect(poll.hostCpuPercent).not.toBeNull();
    expect(poll.hostCpuPercent!).toBeGreaterThan(0);
  });

  it("ticks at once when asked (tickNow), then keeps to the interval from there; not before start", async () => {
    const source = new ScriptedSource();
    const poller = makePoller({ source, rateHz: 1 });
    const ticks: TelemetryPoll[] = [];
    poller.onPoll((poll) => ticks.push(poll), "ticks");
    poller.tickNow(); // not running: nothing happens
    await sleep(50);
    expect(source.reads).toBe(0);
    poller.start("after-interval"); // the first tick would come a second from now
    await sleep(50);
    expect(ticks).toHaveLength(0);
    poller.tickNow();
    await sleep(100);
    expect(ticks).toHaveLength(1); // at once, as a tick
    await sleep(300);
    expect(ticks).toHaveLength(1); // the next one a full interval after it
  });

  it("rejects bad rates, changes the rate while running, and closes only a source it owns", async () => {
    const source = new ScriptedSource();
    expect(() => new TelemetryPoller({ source, rateHz: 0 })).toThrow(/above 0 and at most 1000 Hz, got 0/);
    expect(() => new TelemetryPoller({ source, rateHz: Number.NaN })).toThrow(RangeError);
    const poller = makePoller({ source, rateHz: 1 });
    poller.start();
    poller.setRate(100);
    expect(poller.rateHz).toBe(100);
    expect(() => poller.setRate(5000)).toThrow(RangeError);
    await sleep(300);
    expect(source.reads).toBeGreaterThan(3); // at 1 Hz it would be 1
    const borrowed = new ScriptedSource();
    await new TelemetryPoller({ source: borrowed, ownsSource: false }).close();
    expect(borrowed.closed).toBe(false);
    await poller.close();
    expect(source.closed).toBe(true);
    expect(poller.isRunning).toBe(false);
    expect(() => poller.start()).toThrow(/closed/);
  });
});
