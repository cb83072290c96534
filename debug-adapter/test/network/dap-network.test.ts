// dap-network.test.ts - the `network` launch field through the DAP session (dist/adapter.js, noDebug so no
// GDB is needed): the toroSession event carries the forwarded URL, the Debug Console shows it, the page
// answers through it, and the session ends with no QEMU and no file left (AdapterSession checks).

import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { AdapterSession } from "../session/support/adapter-session";
import { samplesDirectory } from "../helpers/paths";

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

  it("has no network unless asked", async () => {
    const session = await AdapterSession.open("no-network");
    await session.launch({ app: path.join(samplesDirectory, "hello"), cpus: 1, noDebug: true });
    expect(session.info!.network).toBeNull();
  });
});
