// qmp-telemetry.test.ts - the QMP telemetry fallback against real QEMU: a snapshot read through QMP
// (pmemsave and xp) agrees with the RAM-file snapshot on every static field and lies between two RAM-file
// snapshots for the counters; reading never pauses the VM (query-status stays "running", no STOP event);
// the poller works over it; and it reads a QEMU started by hand (no RAM file), as when attaching.
// Nothing is left behind: no QEMU, no pmemsave directory.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp, BuildResult } from "../../src/engine/build/build-runner";
import { loadProfile } from "../../src/engine/profiles/load-profile";
import { QemuProfile } from "../../src/engine/profiles/profile";
import { QmpClient, QmpEvent } from "../../src/engine/qemu/qmp-client";
import { QmpMemoryMethod } from "../../src/engine/qemu/qmp-memory";
import { GuestRun } from "../../src/engine/run/guest-run";
import { QmpTelemetrySource } from "../../src/engine/telemetry/qmp-telemetry-source";
import { isUnreadable, TelemetryReadResult, TelemetrySnapshot } from "../../src/engine/telemetry/snapshot";
import { TelemetryPoll, TelemetryPoller } from "../../src/engine/telemetry/telemetry-poller";
import { ManualQemu } from "../../src/engine/qemu/manual-qemu";
import { expectNothingLeft } from "../helpers/cleanup";
import { isAlive } from "../helpers/processes";
import {
  kernelDirectory,
  makeScratch,
  profilesDirectory,
  removeScratch,
  samplesDirectory,
} from "../helpers/paths";

let scratch: string;
let profile: QemuProfile;
let idleDemo: BuildResult;
const runs: GuestRun[] = [];
const manual: ManualQemu[] = [];

function snapshotOf(result: TelemetryReadResult): TelemetrySnapshot {
  if (isUnreadable(result)) throw new Error(`telemetry unreadable: ${result.unreadable}`);
  return result;
}

/** The fields that do not change once the guest is up. */
function staticFields(snapshot: TelemetrySnapshot) {
  const global = snapshot.global;
  return {
    abiVersion: snapshot.abiVersion,
    global: {
      idlePolicy: global.idlePolicy,
      coresDetected: global.coresDetected,
      coresOnline: global.coresOnline,
      tscHz: global.tscHz,
      bootTsc: global.bootTsc,
      readyTsc: global.readyTsc,
      pollGraceMicroseconds: global.pollGraceMicroseconds,
      tickHz: global.tickHz,
      panic: global.panic,
      cmdline: global.cmdline,
      hypervisor: global.hypervisor,
      apicMode: global.apicMode,
    },
    cores: snapshot.cores.map((core) => ({ index: core.index, online: core.online, apicId: core.apicId })),
  };
}

async function bootIdleDemo(): Promise<GuestRun> {
  const run = await GuestRun.start({
    kernelPath: idleDemo.bootElf,
    kernelElfPath: idleDemo.kernelElf,
    profile,
    // Short phases, so counters move while the test reads.
    overrides: { cmdline: "work_ms=150 idle_ms=150 step_ms=10" },
    parentDirectory: scratch,
  });
  runs.push(run);
  await run.waitForReady();
  return run;
}

/** Samples query-status as fast as QMP answers and counts STOP events, until `stop()` is called. */
function watchRunState(qmp: QmpClient) {
  const statuses: string[] = [];
  let stops = 0;
  let watching = true;
  const unsubscribe = qmp.onEvent((event: QmpEvent) => {
    if (event.event === "STOP") stops++;
  });
  const loop = (async () => {
    while (watching) {
      statuses.push((await qmp.execute<{ status: string }>("query-status")).status);
    }
  })();
  return {
    async stop() {
      watching = false;
      await loop;
      unsubscribe();
      return { statuses, stops };
    },
  };
}

beforeAll(async () => {
  scratch = makeScratch("qmp-telemetry");
  profile = loadProfile("default", profilesDirectory);
  idleDemo = await buildApp({ appDirectory: path.join(samplesDirectory, "idle-demo"), kernelDirectory });
  expect(idleDemo.success, idleDemo.output.slice(-2000)).toBe(true);
});
afterEach(async () => {
  await Promise.all([...runs.map((run) => run.stop()), ...manual.map((qemu) => qemu.stop())]);
  expectNothingLeft(scratch, [...runs.map((run) => run.qemu.pid), ...manual.map((qemu) => qemu.pid)]);
  runs.length = 0;
  manual.length = 0;
});
afterAll(() => removeScratch(scratch));

describe("QMP telemetry on a QEMU the engine started (compared with its RAM file)", () => {
  it.each<QmpMemoryMethod>(["pmemsave", "xp"])(
    "%s: static fields equal the RAM-file snapshot, counters lie between two RAM-file reads",
    async (method) => {
      const run = await bootIdleDemo();
      const source = QmpTelemetrySource.forKernel(run.qemu.qmp, idleDemo.kernelElf, {
        method,
        parentDirectory: scratch,
      });
      try {
        const before = snapshotOf(run.telemetry!.read());
        const throughQmp = snapshotOf(await source.read());
        const after = snapshotOf(run.telemetry!.read());
        expect(source.memory.method).toBe(method);
        expect(staticFields(throughQmp)).toEqual(staticFields(before));
        expect(staticFields(throughQmp)).toEqual(staticFields(after));
        expect(throughQmp.cores).toHaveLength(4);
        // Locks register on first use, in order: each read's list extends the previous one.
        const lockNames = (snapshot: TelemetrySnapshot) => snapshot.locks.map((lock) => lock.name);
        expect(lockNames(throughQmp).slice(0, before.locks.length)).toEqual(lockNames(before));
        expect(lockNames(after).slice(0, throughQmp.locks.length)).toEqual(lockNames(throughQmp));
        for (const [index, core] of throughQmp.cores.entries()) {
          for (const counter of [
            "halts",
            "interrupts",
            "contextSwitches",
            "cyclesBusy",
            "cyclesHalted",
          ] as const) {
            expect(core[counter]).toBeGreaterThanOrEqual(before.cores[index][counter]);
            expect(core[counter]).toBeLessThanOrEqual(after.cores[index][counter]);
          }
        }
        // Threads are created and joined by idle-demo's rounds: the ones alive in both RAM reads are in the QMP read.
        const idsBoth = before.threads
          .map((thread) => thread.id)
          .filter((id) => after.threads.some((t) => t.id === id));
        for (const id of idsBoth) {
          const thread = throughQmp.threads.find((candidate) => candidate.id === id);
          expect(thread, `thread ${id}`).toBeDefined();
          expect(thread!.name).toBe(before.threads.find((candidate) => candidate.id === id)!.name);
        }
      } finally {
        await source.close();
      }
    },
  );

  it("never pauses the VM: query-status stays running and no STOP event arrives while reading", async () => {
    const run = await bootIdleDemo();
    const source = QmpTelemetrySource.forKernel(run.qemu.qmp, idleDemo.kernelElf, {
      parentDirectory: scratch,
    });
    const watcher = watchRunState(run.qemu.qmp);
    const snapshots: TelemetrySnapshot[] = [];
    try {
      for (let index = 0; index < 60; index++) snapshots.push(snapshotOf(await source.read()));
    } finally {
      await source.close();
    }
    const { statuses, stops } = await watcher.stop();
    expect(stops).toBe(0);
    expect(statuses.length).toBeGreaterThan(10);
    expect(new Set(statuses)).toEqual(new Set(["running"]));
    // The guest kept running meanwhile: its cores wrote newer records.
    const newest = (snapshot: TelemetrySnapshot) =>
      Math.max(...snapshot.cores.map((core) => core.updatedTsc));
    expect(newest(snapshots[snapshots.length - 1])).toBeGreaterThan(newest(snapshots[0]));
  });

  it("feeds the poller: snapshots with activity at the set rate, and QEMU's host CPU", async () => {
    const run = await bootIdleDemo();
    const poller = new TelemetryPoller({
      source: QmpTelemetrySource.forKernel(run.qemu.qmp, idleDemo.kernelElf, { parentDirectory: scratch }),
      rateHz: 20,
      qemuPid: run.qemu.pid,
    });
    const polls: TelemetryPoll[] = [];
    poller.onPoll((poll) => polls.push(poll));
    poller.start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await poller.close();
    expect(polls.length).toBeGreaterThanOrEqual(5);
    const last = polls[polls.length - 1];
    expect(last).toMatchObject({ source: "qmp", unreadable: null, qemuPid: run.qemu.pid });
    expect(last.activity).toHaveLength(4);
    expect(last.activity!.every((core) => core.shares !== null)).toBe(true);
    expect(last.hostCpuPercent).not.toBeNull();
    expect(fs.readdirSync(scratch).filter((name) => name.startsWith("toro-qemu-")).length).toBe(1); // QEMU's own
  });
});

describe("QMP telemetry on a QEMU started by hand (no RAM file: the attach case)", () => {
  it("reads the block through QMP while the VM runs", async () => {
    const directory = fs.mkdtempSync(path.join(scratch, "manual-"));
    const socket = path.join(directory, "qmp.sock");
    const qemu = ManualQemu.start({ kernelPath: idleDemo.bootElf, profile, qmpSocketPath: socket });
    manual.push(qemu);
    const qmp = await QmpClient.connect(socket, { timeoutMs: 20_000 });
    const source = QmpTelemetrySource.forKernel(qmp, idleDemo.kernelElf, { parentDirectory: scratch });
    try {
      let snapshot: TelemetrySnapshot | undefined;
      const deadline = Date.now() + 60_000;
      while (snapshot === undefined && Date.now() < deadline) {
        const result = await source.read();
        if (!isUnreadable(result) && result.global.readyTsc !== null) snapshot = result;
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(snapshot, "the kernel never became ready").toBeDefined();
      expect(snapshot!.global).toMatchObject({ coresOnline: 4, idlePolicy: "tickless", panic: null });
      expect(snapshot!.cores.every((core) => core.online)).toBe(true);
      expect(source.memory.method).toBe("pmemsave");
      expect((await qmp.execute<{ status: string }>("query-status")).status).toBe("running");
    } finally {
      await source.close();
      qmp.close();
      await qemu.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    }
    expect(isAlive(qemu.pid)).toBe(false);
  });
});
