// metrics-server.test.ts - the exporter's HTTP endpoint on 127.0.0.1 (a free port), over a runs folder with no
// VM: /metrics answers in the format the Accept header asks for, / points there, other paths 404, other
// methods 405; a taken port or an address not of this host is a clear error; close() frees the port.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Exporter, MetricsServer } from "../../src/engine/exporter/index";
import { makeScratch, removeScratch } from "../helpers/paths";

let scratch: string;
beforeEach(() => (scratch = makeScratch("metrics-server")));
afterEach(() => removeScratch(scratch));

describe("MetricsServer", () => {
  it("serves /metrics on 127.0.0.1 in the negotiated format, and answers other requests clearly", async () => {
    const runs = path.join(scratch, "runs");
    fs.mkdirSync(runs);
    const server = await MetricsServer.start(new Exporter({ runsDirectory: runs }), { port: 0 });
    try {
      expect(server.address).toBe("127.0.0.1");
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
      const text = await fetch(server.url, { headers: { Accept: "text/plain;version=0.0.4" } });
      expect(text.status).toBe(200);
      expect(text.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const open = await fetch(server.url, {
        headers: { Accept: "application/openmetrics-text;version=1.0.0" },
      });
      expect(open.headers.get("content-type")).toBe(
        "application/openmetrics-text; version=1.0.0; charset=utf-8",
      );
      expect(await open.text()).toBe("# EOF\n"); // no VM in the folder: nothing but the end marker
      expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(200);
      const missing = await fetch(`http://127.0.0.1:${server.port}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toMatch(/metrics are at \/metrics/);
      expect((await fetch(server.url, { method: "POST" })).status).toBe(405);

      await expect(
        MetricsServer.start(new Exporter({ runsDirectory: runs }), { port: server.port }),
      ).rejects.toThrow(
        `the exporter cannot listen on 127.0.0.1:${server.port}: port ${server.port} is already in use on 127.0.0.1; pick another with --port`,
      );
      await expect(
        MetricsServer.start(new Exporter({ runsDirectory: runs }), { port: 0, address: "192.0.2.1" }),
      ).rejects.toThrow(/192\.0\.2\.1 is not an address of this host/);
    } finally {
      await server.close();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
