// dap-network.test.ts - the `network` launch field through the DAP session (dist/adapter.js, noDebug so no
// GDB is needed): the toroSession event carries the forwarded URL, the Debug Console shows it, the page
// answers through it, and the session ends with no QEMU and no file left (AdapterSession checks). And what
// the Cores view shows after HTTP load: every core's halts per second falls to 0 (nothing wakes an idle
// server: no TCP timer left armed, TIME_WAIT without a timer).

import * as http from "node:http";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { ToroTelemetryBody } from "../../src/protocol/toro-protocol";
import { AdapterSession } from "../session/support/adapter-session";
import { samplesDirectory } from "../helpers/paths";

/** One GET; `agent` keeps the connection for the next request, or none: a new connection per request. */
function get(url: string, agent: http.Agent | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, agent ? { agent } : { agent: false, headers: { connection: "close" } });
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
  });
}

/** `loops` concurrent loops of GETs for `milliseconds`; returns the 200s. */
async function load(url: string, loops: number, milliseconds: number, keepAlive: boolean): Promise<number> {
  const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: loops }) : undefined;
  const endAt = performance.now() + milliseconds;
  let answered = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (performance.now() < endAt) if ((await get(url, agent)) === 200) answered++;
    }),
  );
  agent?.destroy(); // the keep-alive connections close together, at the end of the load
  return answered;
}

/** The telemetry events since `mark` whose every core halted (woke) 0 times per second. */
const quietEvents = (bodies: ToroTelemetryBody[]) =>
  bodies.filter((body) => body.cores.length > 0 && body.cores.every((core) => core.haltsPerSecond === 0));

/** Every core's halts/s is 0 in this many telemetry events in a row: the server is idle, not between requests. */
const QUIET_EVENTS_IN_A_ROW = 3;
/** ... and then stays 0 this long: past TIME_WAIT (1 s) and the 1 s initial RTO. */
const STAYS_QUIET_MS = 1500;

describe("the network launch field", () => {
  it("forwards the guest's port 80 from 127.0.0.1 and says where, in toroSession and the Debug Console", async () => {
    const session = await AdapterSession.open("network");
    await session.launch({
      app: path.join(samplesDirectory, "http-server"),
      cpus: 2,
      noDebug: true,
      network: true,
    });
    const network = session.info!.network!;
    expect(network).toMatchObject({ hostAddress: "127.0.0.1", guestAddress: "10.0.2.15", guestPort: 80 });
    expect(network.url).toBe(`http://127.0.0.1:${network.hostPort}/`);
    await session.waitFor("output", {
      predicate: (event) => /http-server: listening on/.test(event.body.output),
    });
    expect(session.output()).toContain(`network: ${network.url} -> guest 10.0.2.15:80`);
    const response = await fetch(network.url, { headers: { connection: "close" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<h1>Toro http-server</h1>");
  });

  it.each([
    ["keep-alive", true],
    ["new-connection", false],
  ])(
    "shows every core's halts/s falling to 0 in toroTelemetry after %s load on 4 vCPUs",
    async (_mode, keepAlive) => {
      const session = await AdapterSession.open("network-idle");
      await session.launch({
        app: path.join(samplesDirectory, "http-server"),
        cpus: 4,
        noDebug: true,
        network: true,
      });
      await session.waitFor("output", {
        predicate: (event) => /http-server: listening on/.test(event.body.output),
      });
      const answered = await load(session.info!.network!.url, 8, 1500, keepAlive);
      expect(answered).toBeGreaterThan(20);
      const loadEnd = session.events.length;
      // Within a few seconds: the halts of the load's last interval, then none on any core.
      await session.waitFor("toroTelemetry", {
        after: loadEnd,
        timeoutMs: 10_000,
        predicate: () => {
          const bodies = session.telemetrySince(loadEnd);
          const last = bodies.slice(-QUIET_EVENTS_IN_A_ROW);
          return last.length === QUIET_EVENTS_IN_A_ROW && quietEvents(last).length === last.length;
        },
      });
      // And it stays 0 past the TIME_WAIT of the last connections (timewait_ms=1000) and any RTO: no
      // deadline left over from the load (a cancelled retransmission, a delayed ACK) wakes a core later.
      const quietFrom = session.events.length;
      await new Promise((resolve) => setTimeout(resolve, STAYS_QUIET_MS));
      const after = session.telemetrySince(quietFrom);
      expect(after.length).toBeGreaterThan(3);
      const woken = after.filter((body) => quietEvents([body]).length === 0);
      expect(woken.map((body) => body.cores.map((core) => core.haltsPerSecond))).toEqual([]);
      const bodies = session.telemetrySince(loadEnd);
      expect(bodies[bodies.length - 1].cores).toHaveLength(4);
      // The cores were busy first (the load really woke them), so the 0 is a fall, not a constant.
      const before = session.telemetrySince(0).slice(0, -bodies.length);
      expect(before.some((body) => body.cores.some((core) => (core.haltsPerSecond ?? 0) > 0))).toBe(true);
    },
  );

  it("has no network unless asked", async () => {
    const session = await AdapterSession.open("no-network");
    await session.launch({ app: path.join(samplesDirectory, "hello"), cpus: 1, noDebug: true });
    expect(session.info!.network).toBeNull();
  });
});
