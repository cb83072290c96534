// select-core.test.ts - the custom request `toroSelectCore` (src/protocol/toro-protocol.ts): while the VM is
// stopped it re-sends the current stop for another vCPU (thread core + 1, same reason, all threads stopped,
// focus not preserved) so the client shows that vCPU's stack; a core out of range and a running VM are
// refused with a message, and the VM does not move.

import { describe, expect, it } from "vitest";
import { TORO_SELECT_CORE_REQUEST } from "../../src/protocol/toro-protocol";
import { AdapterSession } from "./support/adapter-session";
import { SESSION_APP, SESSION_APP_SOURCE, tagLine } from "./support/fixture-app";

describe("toroSelectCore", () => {
  it("re-sends the current stop for the chosen vCPU while stopped, and refuses while running", async () => {
    const session = await AdapterSession.open("select-core");
    const stopped = session.waitFor("stopped");
    await session.launch({ app: SESSION_APP, cpus: 2 }, async () => {
      await session.setBreakpoints(SESSION_APP_SOURCE, [{ line: tagLine("add-body") }]);
    });
    const first = (await stopped).body;
    expect(first).toMatchObject({ reason: "breakpoint", threadId: 1 });
    const where = await session.topFrame(1);

    const mark = session.events.length;
    const response = await session.client.customRequest(TORO_SELECT_CORE_REQUEST, { core: 1 });
    expect(response.success).toBe(true);
    const again = (await session.waitFor("stopped", { after: mark })).body;
    expect(again).toEqual({
      reason: "breakpoint",
      threadId: 2,
      allThreadsStopped: true,
      preserveFocusHint: false,
    });
    // The VM did not move: CPU 0 is still at the breakpoint, and CPU 1 has a stack of its own.
    expect(await session.topFrame(1)).toMatchObject({ name: where.name, line: where.line });
    expect((await session.client.stackTraceRequest({ threadId: 2 })).body.stackFrames.length).toBeGreaterThan(
      0,
    );
    expect(session.events.slice(mark).some((event) => event.event === "continued")).toBe(false);

    await expect(session.client.customRequest(TORO_SELECT_CORE_REQUEST, { core: 2 })).rejects.toThrow(
      /"core" must be an integer from 0 to 1 \(this VM's cores\), got number 2/,
    );
    await expect(session.client.customRequest(TORO_SELECT_CORE_REQUEST, {})).rejects.toThrow(
      /"core" must be an integer from 0 to 1 .*got nothing/,
    );

    await session.setBreakpoints(SESSION_APP_SOURCE, []);
    await session.client.continueRequest({ threadId: 1 });
    const before = session.events.length;
    await expect(session.client.customRequest(TORO_SELECT_CORE_REQUEST, { core: 0 })).rejects.toThrow(
      /the VM is running/,
    );
    expect(session.events.slice(before).some((event) => event.event === "stopped")).toBe(false);
    await session.close();
  });
});
