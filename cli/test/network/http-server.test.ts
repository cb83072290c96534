// http-server.test.ts - samples/http-server under real QEMU (4 vCPUs, TCG, tickless) with the `network`
// option, all traffic on 127.0.0.1 through the forwarded port: the page and /stats, the guest's own ping,
// 10,000 requests over 32 connections, hostile clients while a well-behaved one keeps being served, 2,000
// connections dropped and 1,000 held open idle, and every core halting again once the load stops. One boot for the whole file; nothing left behind.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildApp,
  HttpServerGuest,
  isUnreadable,
  loadProfile,
  parsePingLine,
  startHttpServerGuest,
  waitForAllHalted,
} from "@toro-studio/debug-adapter";
import { runLoad } from "../../src/stress/load-generator";
import {
  expectNothingLeft,
  kernelDirectory,
  makeScratch,
  profilesDirectory,
  removeScratch,
  samplesDirectory,
} from "@toro-studio/debug-adapter/test-support";
import { collect, connect, exchange, Exchange, parseResponses } from "./support/raw-client";
import { startSteadyClient } from "./support/steady-client";
import { execFileSync } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";

const CPUS = 4;
/** Short server timeouts keep the silent-client cases quick (defaults: 5000 ms each). */
const REQUEST_TIMEOUT_MS = 1500;
const DEFER_MS = 1500;
/** How long a raw client waits for the server to answer or close before the test calls it a hang. */
const ANSWER_TIMEOUT_MS = 10_000;

let scratch: string;
let guest: HttpServerGuest;
let url: string;
let port: number;
let page: string;

interface Stats {
  idle: string;
  cores: {
    core: number;
    state: number;
    requests: number;
    halts: number;
    net_frames_in: number;
    net_frames_out: number;
    net_frames_dropped: number;
    net_connections_open: number;
    net_time_wait: number;
  }[];
  net: Record<string, number>;
}

/**
 * Opens `count` connections 2 ms apart without waiting for each, calls `onConnect` on each that connects,
 * and resolves once every one connected or failed (or 30 s passed).
 */
async function openPaced(
  count: number,
  onConnect: (socket: net.Socket) => void,
): Promise<{ connected: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const settled: Promise<boolean>[] = [];
  for (let index = 0; index < count; index++) {
    const socket = net.connect({ host: "127.0.0.1", port });
    sockets.push(socket);
    settled.push(
      new Promise((resolve) => {
        socket.once("connect", () => {
          onConnect(socket);
          resolve(true);
        });
        socket.on("error", () => resolve(false)); // refused, or reset by the guest later: both end it
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const timeout = new Promise<boolean[]>((resolve) => setTimeout(() => resolve([]), 30_000));
  const results = await Promise.race([Promise.all(settled), timeout]);
  return { connected: results.filter(Boolean).length, sockets };
}

async function stats(): Promise<Stats> {
  const response = await fetch(`${url}stats`, { headers: { connection: "close" } });
  expect(response.status).toBe(200);
  return JSON.parse(await response.text()) as Stats;
}

function snapshot() {
  const result = guest.run.telemetry!.read();
  if (isUnreadable(result)) throw new Error(`telemetry unreadable: ${result.unreadable}`);
  return result;
}

function expectNoPanic(): void {
  expect(snapshot().global.panic, "telemetry panic flag").toBeNull();
  expect(guest.run.qemu.serial.lines.filter((line) => /PANIC/.test(line.message))).toEqual([]);
}

beforeAll(async () => {
  scratch = makeScratch("network");
  const build = await buildApp({
    appDirectory: path.join(samplesDirectory, "http-server"),
    kernelDirectory,
  });
  expect(build.success, build.output).toBe(true);
  guest = await startHttpServerGuest({
    kernelPath: build.bootElf,
    kernelElfPath: build.kernelElf,
    profile: loadProfile("default", profilesDirectory),
    overrides: {
      cpus: CPUS,
      idlePolicy: "tickless",
      cmdline: `request_timeout_ms=${REQUEST_TIMEOUT_MS} defer_ms=${DEFER_MS}`,
      network: { enabled: true },
    },
    parentDirectory: scratch,
  });
  url = guest.network.url;
  port = guest.network.hostPort;
});

afterAll(async () => {
  const pid = guest?.run.qemu.pid;
  await guest?.run.stop();
  expectNothingLeft(scratch, [pid]);
  removeScratch(scratch);
});

describe("http-server through the forwarded port", () => {
  it("listens on the guest's port 80 behind a 127.0.0.1 forward, one worker per core", () => {
    expect(guest.listening).toEqual({ address: "10.0.2.15", port: 80, workers: CPUS, keepAlive: true });
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    expect(guest.run.qemu.qemuArguments).toContain(
      `user,id=toro-net,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:80`,
    );
  });

  it("fetch gets the page and the /stats JSON", async () => {
    const response = await fetch(url, { headers: { connection: "close" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    page = await response.text();
    expect(page).toContain("<h1>Toro http-server</h1>");
    expect(Number(response.headers.get("content-length"))).toBe(Buffer.byteLength(page));

    const body = await stats();
    expect(body.idle).toBe("tickless");
    expect(body.cores.map((core) => core.core)).toEqual([0, 1, 2, 3]);
    for (const core of body.cores) {
      expect(core.requests).toBeGreaterThanOrEqual(0);
      expect(core.halts).toBeGreaterThan(0);
    }
    expect(body.net.tcp_accepted).toBeGreaterThanOrEqual(2);
    expect(body.net.interrupts).toBeGreaterThan(0);
  });

  it("curl and Python's http.client get the page, with keep-alive and a new connection per request", () => {
    const curl = execFileSync("curl", ["-s", "--max-time", "20", url, url, "-o", "-", "-o", "-"], {
      encoding: "utf8",
    }); // two requests on one connection
    expect(curl).toBe(page + page);
    const python = execFileSync(
      "python3",
      [
        "-c",
        [
          "import http.client, sys",
          "for keep in (True, False):",
          "  c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=20)",
          "  for _ in range(3):",
          "    c.request('GET', '/', headers={} if keep else {'Connection': 'close'})",
          "    r = c.getresponse(); body = r.read()",
          "    print(r.status, len(body), r.getheader('Connection'))",
          "    if not keep: c.close()",
        ].join("\n"),
        String(port),
      ],
      { encoding: "utf8" },
    );
    const length = Buffer.byteLength(page);
    expect(python.trim().split("\n")).toEqual([
      ...Array(3).fill(`200 ${length} keep-alive`),
      ...Array(3).fill(`200 ${length} close`),
    ]);
  });

  it("the guest pings QEMU's gateway and gets a reply (host -> guest ICMP is not possible through slirp)", () => {
    const pings = guest.run.qemu.serial.lines
      .map((line) => parsePingLine(line.message))
      .filter((ping) => ping !== null);
    expect(pings).toHaveLength(1);
    expect(pings[0]!.target).toBe("10.0.2.2");
    expect(pings[0]!.roundTripMicroseconds).toBeGreaterThan(0);
  });

  it("answers 10,000 requests over 32 keep-alive connections, every response complete and correct, no panic", async () => {
    const before = await stats();
    const result = await runLoad({
      url,
      connections: 32,
      requests: 10_000,
      timeoutSeconds: 20,
      expectBody: page,
    });
    const { responses, statusCounts, mismatches, errors, timeouts, non2xx } = result;
    // mismatches: responses whose body was not exactly the page.
    expect({ responses, statusCounts, mismatches, errors, timeouts, non2xx }).toEqual({
      responses: 10_000,
      statusCounts: { "200": 10_000 },
      mismatches: 0,
      errors: 0,
      timeouts: 0,
      non2xx: 0,
    });
    expect(result.connections).toBe(32);
    const after = await stats();
    const served = (body: Stats) => body.cores.reduce((sum, core) => sum + core.requests, 0);
    expect(served(after) - served(before)).toBeGreaterThanOrEqual(10_000);
    // Per-core network counters (telemetry core records): every request came in and went out as frames,
    // and the frames taken in on the cores add up to what the device delivered.
    const frames = (body: Stats, field: "net_frames_in" | "net_frames_out") =>
      body.cores.reduce((sum, core) => sum + core[field], 0);
    expect(frames(after, "net_frames_in") - frames(before, "net_frames_in")).toBeGreaterThanOrEqual(10_000);
    expect(frames(after, "net_frames_out") - frames(before, "net_frames_out")).toBeGreaterThanOrEqual(10_000);
    expect(frames(after, "net_frames_in")).toBeLessThanOrEqual(after.net.frames_received!);
    expect(frames(after, "net_frames_in")).toBeGreaterThan(after.net.frames_received! - 64);
    expectNoPanic();
    console.log(
      `10,000 requests: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latencyMilliseconds!.p50.toFixed(2)} ms, ` +
        `p99 ${result.latencyMilliseconds!.p99.toFixed(2)} ms, max ${result.latencyMilliseconds!.max.toFixed(0)} ms`,
    );
  });

  it("answers or closes every hostile client as the sample's README says, and keeps serving a good one", async () => {
    const steady = startSteadyClient(url, page);
    const cases: [string, () => Promise<Exchange>][] = [
      [
        "garbage bytes",
        () =>
          exchange(port, Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]), {
            timeoutMs: ANSWER_TIMEOUT_MS,
          }),
      ],
      ["a bad request line", () => exchange(port, "HELLO\r\n\r\n", { timeoutMs: ANSWER_TIMEOUT_MS })],
      [
        "a NUL in a header",
        () => exchange(port, "GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", { timeoutMs: ANSWER_TIMEOUT_MS }),
      ],
      [
        "a truncated head, then FIN",
        () =>
          exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n", { halfClose: true, timeoutMs: ANSWER_TIMEOUT_MS }),
      ],
      [
        "a truncated head, then silence",
        () => exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n", { timeoutMs: ANSWER_TIMEOUT_MS }),
      ],
      [
        "a head over 4096 bytes",
        () =>
          exchange(port, `GET / HTTP/1.1\r\nX-Filler: ${"a".repeat(5000)}\r\n\r\n`, {
            timeoutMs: ANSWER_TIMEOUT_MS,
          }),
      ],
      [
        "more than 64 header lines",
        () =>
          exchange(port, `GET / HTTP/1.1\r\n${"X-A: b\r\n".repeat(70)}\r\n`, {
            timeoutMs: ANSWER_TIMEOUT_MS,
          }),
      ],
      [
        "a target over 255 bytes",
        () => exchange(port, `GET /${"t".repeat(300)} HTTP/1.1\r\n\r\n`, { timeoutMs: ANSWER_TIMEOUT_MS }),
      ],
      [
        "a POST with a body",
        () =>
          exchange(port, "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", { timeoutMs: ANSWER_TIMEOUT_MS }),
      ],
      [
        "a complete request, then half-close",
        () =>
          exchange(port, "GET /stats HTTP/1.1\r\nHost: x\r\n\r\n", {
            halfClose: true,
            timeoutMs: ANSWER_TIMEOUT_MS,
          }),
      ],
      [
        "two pipelined requests, then half-close",
        () =>
          exchange(port, "GET / HTTP/1.1\r\n\r\nGET /stats HTTP/1.1\r\n\r\n", {
            halfClose: true,
            timeoutMs: ANSWER_TIMEOUT_MS,
          }),
      ],
      ["connects and never sends", () => exchange(port, null, { timeoutMs: ANSWER_TIMEOUT_MS })],
      [
        "RST in the middle of a request",
        async () => {
          const socket = await connect(port);
          const answer = collect(socket, ANSWER_TIMEOUT_MS);
          socket.write("GET / HTTP/1.1\r\nHo");
          await new Promise((resolve) => setTimeout(resolve, 100));
          socket.resetAndDestroy();
          return answer;
        },
      ],
    ];
    // Connect one after another: QEMU's forwarded port has a backlog of one, and a dropped SYN costs 1 s.
    const answers: Promise<Exchange>[] = [];
    for (const [, start] of cases) {
      answers.push(start());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const results = new Map(cases.map(([name], index) => [name, answers[index]]));
    const answer = async (name: string) => {
      const exchanged = await results.get(name)!;
      return { ...exchanged, responses: parseResponses(exchanged.text) };
    };
    const statusAndClose = async (name: string, status: number) => {
      const got = await answer(name);
      expect(
        got.responses.map((response) => response.status),
        name,
      ).toEqual([status]);
      expect(got.ending, `${name}: the server closes`).not.toBe("timeout");
      return got;
    };

    await statusAndClose("garbage bytes", 400);
    await statusAndClose("a bad request line", 400);
    await statusAndClose("a NUL in a header", 400);
    await statusAndClose("a truncated head, then FIN", 400);
    const silent = await statusAndClose("a truncated head, then silence", 408);
    expect(silent.elapsedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    await statusAndClose("a head over 4096 bytes", 431);
    await statusAndClose("more than 64 header lines", 431);
    await statusAndClose("a target over 255 bytes", 414);
    await statusAndClose("a POST with a body", 405);
    const halfClosed = await statusAndClose("a complete request, then half-close", 200);
    expect(halfClosed.responses[0].complete).toBe(true);
    expect(JSON.parse(halfClosed.responses[0].body)).toHaveProperty("cores");
    const pipelined = await answer("two pipelined requests, then half-close");
    expect(pipelined.responses.map((response) => [response.status, response.complete])).toEqual([
      [200, true],
      [200, true],
    ]);
    expect(pipelined.responses[0].body).toBe(page);
    expect(JSON.parse(pipelined.responses[1].body)).toHaveProperty("net");
    const neverSends = await answer("connects and never sends");
    expect(neverSends.text).toBe("");
    expect(neverSends.ending).not.toBe("timeout");
    expect(neverSends.elapsedMs).toBeGreaterThanOrEqual(DEFER_MS - 100);
    const reset = await answer("RST in the middle of a request");
    expect(reset.text).toBe("");

    const report = await steady.stop();
    expect(report.failures, "the well-behaved client's failures").toEqual([]);
    expect(report.good).toBeGreaterThan(10);
    const after = await stats();
    expect(after.net.tcp_resets_received).toBeGreaterThanOrEqual(1);
    expectNoPanic();
  });

  it("survives 2,000 connections dropped without a request and 1,000 held open idle, then serves and idles", async () => {
    const before = await stats();
    // Opened 2 ms apart (QEMU's forwarded port has a backlog of one: a SYN that finds it full is retried by
    // the host after 1 s), each dropped once connected: slirp then brings the guest a SYN and a reset or
    // FIN, and no worker ever sees a request.
    const dropped = await openPaced(2000, (socket) => socket.destroy());
    expect(dropped.connected, "dropped connections that connected").toBeGreaterThan(1900);
    // 1,000 held open and silent: beyond the listen backlog the guest drops their SYNs (slirp retries), and
    // the ones it took are closed after defer_ms without reaching a worker.
    const held = await openPaced(1000, () => undefined);
    try {
      expect(held.connected, "held connections that connected").toBeGreaterThan(900);
      const served = await fetch(url, { headers: { connection: "close" } });
      expect(served.status, "a request while 1,000 connections are held open").toBe(200);
      expect(await served.text()).toBe(page);
    } finally {
      for (const socket of held.sockets) socket.destroy();
    }
    const after = await stats();
    expect(after.net.tcp_accepted).toBeGreaterThan(before.net.tcp_accepted);
    expect(after.net.tcp_open, "connections left open in the guest").toBeLessThan(1024);
    // Every core goes back to halting, and then stays halted: a whole second with no halt anywhere.
    const deadline = Date.now() + 20_000;
    let quietSecond = false;
    while (!quietSecond && Date.now() < deadline) {
      const halts = snapshot().cores.reduce((sum, core) => sum + core.halts, 0);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      quietSecond = snapshot().cores.reduce((sum, core) => sum + core.halts, 0) === halts;
    }
    expect(quietSecond, "a second without a wake-up on any core within 20 s").toBe(true);
    const last = await fetch(url, { headers: { connection: "close" } });
    expect(last.status).toBe(200);
    expectNoPanic();
  }, 240_000);

  it("halts every core again once the load stops (telemetry), within 3 s", async () => {
    const load = await runLoad({ url, connections: 8, durationSeconds: 2, timeoutSeconds: 20 });
    expect(load.responses).toBeGreaterThan(100);
    expect(load.errors + load.timeouts + load.non2xx).toBe(0);
    const halted = await waitForAllHalted(guest.run.telemetry!, 3000);
    expect(halted, "every core halted within 3 s of the load's end").not.toBeNull();
    expect(halted!.snapshot.cores.filter((core) => core.online)).toHaveLength(CPUS);
    console.log(
      `all ${CPUS} cores halted ${(halted!.atMs - load.lastResponseAtMs!).toFixed(1)} ms after the last response`,
    );
    expectNoPanic();
  });
});
