// bench-adapter-client.test.ts - the benchmark's DAP side against a fake adapter (no QEMU, no GDB): the
// VS Code F5 sequence and its timings, steps that stop once `next` leaves main, a failed launch reported
// with the adapter's message, and the clean-up: an adapter that ignores disconnect is killed together with
// the child it left, and its temporary directory is removed.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { measureAdapterSession } from "../../src/bench/adapter-session";
import { DapClient } from "../../src/bench/dap-client";
import { fixturesDirectory, isAlive, waitUntilGone } from "@toro-studio/debug-adapter/test-support";

const fakeAdapter = path.join(fixturesDirectory, "fake-adapter", "fake-adapter.mjs");
const target = { adapterPath: fakeAdapter, app: "/apps/compute", file: "/apps/compute/main.c", line: 61 };
const savedEnvironment = { ...process.env };

function adapterTemporaryDirectories(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("toro-bench-adapter-"));
}

afterEach(() => {
  process.env = { ...savedEnvironment };
});

describe("DapClient", () => {
  it("frames requests and responses, and keeps events with their arrival time", async () => {
    const client = DapClient.start(fakeAdapter);
    try {
      const initialize = await client.requestOk("initialize", { adapterID: "toro" });
      expect(initialize.message.body).toEqual({ supportsConfigurationDoneRequest: true });
      const unsupported = await client.request("evaluate", { expression: "1" });
      expect(unsupported.message).toMatchObject({ success: false, message: "unsupported: evaluate" });
      await expect(client.requestOk("evaluate")).rejects.toThrow(/"evaluate" failed: unsupported: evaluate/);
      const sent = performance.now();
      const launch = client.request("launch", {}).catch(() => undefined); // unanswered until configurationDone
      const initialized = await client.waitForEvent("initialized", sent, 5000);
      expect(initialized.receivedAtMs).toBeGreaterThanOrEqual(sent);
      // Already received: found in the log, not waited for again.
      expect(await client.waitForEvent("initialized", 0, 10)).toBe(initialized);
      await expect(client.waitForEvent("terminated", 0, 50)).rejects.toThrow(
        /no "terminated" event within 50 ms/,
      );
      await client.requestOk("configurationDone");
      expect(await launch).toMatchObject({ message: { command: "launch", success: true } });
    } finally {
      await client.kill();
    }
  });
});

describe("measureAdapterSession", () => {
  const before = adapterTemporaryDirectories();

  it("times launch -> stopped and each next -> stopped", async () => {
    const measurement = await measureAdapterSession(target, 4);
    expect(measurement.launchToStoppedMs).toBeGreaterThan(0);
    expect(measurement.stepRoundTripsMs).toHaveLength(4);
    expect(measurement.stepRoundTripsMs.every((milliseconds) => milliseconds > 0)).toBe(true);
    expect(adapterTemporaryDirectories()).toEqual(before);
  });

  it("stops stepping once next has left main", async () => {
    process.env.FAKE_STEPS_IN_MAIN = "2";
    const measurement = await measureAdapterSession(target, 10);
    expect(measurement.stepRoundTripsMs).toHaveLength(2);
  });

  it("reports a failed launch with the adapter's message", async () => {
    process.env.FAKE_MODE = "fail-launch";
    await expect(measureAdapterSession(target, 0)).rejects.toThrow(/launch failed: QEMU was not found/);
    expect(adapterTemporaryDirectories()).toEqual(before);
  });

  it("kills an adapter that ignores disconnect, and the process it left behind", async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "toro-test-fake-adapter-"));
    try {
      process.env.FAKE_MODE = "hang-on-disconnect";
      process.env.FAKE_PID_FILE = path.join(scratch, "child.pid");
      const started = performance.now();
      const measurement = await measureAdapterSession(target, 1, { disconnectTimeoutMs: 300 });
      expect(measurement.stepRoundTripsMs).toHaveLength(1);
      expect(performance.now() - started).toBeGreaterThanOrEqual(300); // it did wait for disconnect first
      const child = Number(fs.readFileSync(process.env.FAKE_PID_FILE, "utf8"));
      expect(await waitUntilGone(child, 5000), `leftover child ${child}`).toBe(true);
      expect(isAlive(child)).toBe(false);
      expect(adapterTemporaryDirectories()).toEqual(before);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
