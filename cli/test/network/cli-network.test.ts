// cli-network.test.ts - the one-minute experiment through the built `toro` CLI as processes:
// `toro run samples/http-server --network --monitor` shows the forwarded URL, `toro stress <url>` loads it
// and prints requests/s, latency and errors; a non-loopback URL is refused before any connection; Ctrl-C
// ends the run with no QEMU and no file left in its private TMPDIR.

import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeScratch, removeScratch } from "@toro-studio/debug-adapter/test-support";
import { compileCli, processesMentioning, runCli, startCli, waitFor } from "../helpers/cli-process";

let scratch: string;
let tmpdir: string;

beforeAll(() => {
  // The CLI under test is the compiled one: compile the current sources first.
  compileCli();
  scratch = makeScratch("cli-network");
  tmpdir = path.join(scratch, "tmp");
  fs.mkdirSync(tmpdir);
});
afterEach(() => {
  expect(processesMentioning(tmpdir), "QEMU processes left").toEqual([]);
  expect(fs.readdirSync(tmpdir), "files left in TMPDIR").toEqual([]);
});
afterAll(() => removeScratch(scratch));

/** The guest's /stats (one keep-alive-free request). */
async function guestStats(url: string): Promise<{ net: { tcp_accepted: number } }> {
  const response = await fetch(`${url}stats`, { headers: { connection: "close" } });
  return (await response.json()) as { net: { tcp_accepted: number } };
}

describe("toro stress", () => {
  it("refuses a URL that is not on the loopback interface, before connecting", async () => {
    const result = await runCli(["stress", "http://10.0.2.15/", "--duration", "1"], tmpdir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^toro: refusing to put load on "10\.0\.2\.15", which is not a loopback address; expected an http:\/\/ URL/,
    );
    expect(result.stdout).toBe("");
  });

  it("loads the URL that toro run --network --monitor prints, while the monitor runs", async () => {
    const run = startCli(
      ["run", "samples/http-server", "--network", "--monitor", "--cpus", "2", "--duration", "90"],
      tmpdir,
    );
    try {
      await waitFor(() => /network: http:\/\/127\.0\.0\.1:\d+\//.test(run.output.stderr), 60_000, "the URL");
      const url = /network: (http:\/\/127\.0\.0\.1:\d+\/) -> guest 10\.0\.2\.15:80/.exec(
        run.output.stderr,
      )![1];
      await waitFor(
        () => run.output.stdout.includes("http-server: listening on"),
        60_000,
        "the listening line",
      );
      expect(run.output.stdout).toContain(url); // in the monitor's title line

      const stress = await runCli(["stress", url, "--duration", "2", "--connections", "4", "--json"], tmpdir);
      expect(stress.code, stress.stderr).toBe(0);
      const result = JSON.parse(stress.stdout);
      expect(result).toMatchObject({ url, connections: 4, errors: 0, timeouts: 0, non2xx: 0 });
      expect(result.responses).toBeGreaterThan(50);
      expect(Object.keys(result.statusCounts)).toEqual(["200"]);
      expect(result.latencyMilliseconds.p99).toBeGreaterThanOrEqual(result.latencyMilliseconds.p50);
      expect(stress.stderr).toMatch(
        /^toro stress http:\/\/127\.0\.0\.1:\d+\/: 4 keep-alive connections \(opened 25 ms apart\), 2 s/,
      );
      expect(stress.stderr).toMatch(/\n +[12] s +[\d,]+ req\/s +[\d,]+ responses\n/);

      const text = await runCli(["stress", url, "--requests", "200", "--connections", "2"], tmpdir);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/: 2 keep-alive connections, [\d.]+ s\n {2}requests\/s {2}[\d.]+ \(200 responses\)\n {2}latency {5}p50 [\d.]+ ms, p99 [\d.,]+ ms, max [\d.,]+ ms\n {2}errors {6}0, timeouts 0, non-2xx 0\n {2}status {6}200 x 200\n$/,
      );

      // A new connection per request: every answer complete, and the guest counted that many connections.
      const before = await guestStats(url);
      const fresh = await runCli(
        ["stress", url, "--new-connections", "--requests", "150", "--connections", "3", "--json"],
        tmpdir,
      );
      expect(fresh.code, fresh.stderr).toBe(0);
      expect(JSON.parse(fresh.stdout)).toMatchObject({ mode: "new-connection", responses: 150, errors: 0 });
      const after = await guestStats(url);
      expect(after.net.tcp_accepted - before.net.tcp_accepted).toBeGreaterThanOrEqual(150);
    } finally {
      run.child.kill("SIGINT");
    }
    const ended = await run.finished;
    expect(ended.code).toBe(0);
    expect(ended.stderr).toMatch(/toro: run ended \(interrupted\)/);
  });

  it("says which forwarded port QEMU could not bind", async () => {
    const holder = await new Promise<net.Server>((resolve) => {
      const server = net.createServer();
      server.listen(0, "127.0.0.1", () => resolve(server));
    });
    const taken = (holder.address() as net.AddressInfo).port;
    try {
      const result = await runCli(["run", "samples/http-server", "--host-port", String(taken)], tmpdir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Could not set up host forwarding rule 'tcp:127.0.0.1:${taken}-:80'`);
    } finally {
      holder.close();
    }
  });
});
