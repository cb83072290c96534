// network.test.ts - a launch with `network: true` boots samples/http-server with QEMU user networking: the
// forwarded URL (127.0.0.1, a free port) is printed in the Debug Console and carried in the toroSession
// event, the page is served through it, and terminate leaves nothing behind.

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ToroSessionBody } from "../../src/protocol/toro-protocol";
import { samplesDirectory } from "../helpers/paths";
import { AdapterSession } from "./support/adapter-session";

describe("network launch", () => {
  it("shows the forwarded URL and serves the http-server sample through it", async () => {
    const session = await AdapterSession.open("network");
    await session.launch({
      app: path.join(samplesDirectory, "http-server"),
      cpus: 2,
      network: true,
      noDebug: true,
    });
    const info = session.info as ToroSessionBody;
    expect(info.network).toMatchObject({ hostAddress: "127.0.0.1", guestPort: 80 });
    const url = info.network!.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await session.waitFor("output", {
      predicate: (event) => event.body.output.includes(`network: ${url} -> guest 10.0.2.15:80`),
    });
    await session.waitFor("output", {
      predicate: (event) => /http-server: listening/.test(event.body.output),
    });
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<html/i);

    const end = session.events.length;
    await session.client.terminateRequest({});
    await session.waitFor("terminated", { after: end });
    await session.expectProcessesGone();
    await session.close();
  });
});
