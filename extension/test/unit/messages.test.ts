// messages.test.ts - the monitor webview's messages to the host are checked before use
// (src/monitor/common/messages.ts).
import { describe, expect, it } from "vitest";
import { isClientToHostMessage } from "../../src/monitor/common/messages";

describe("isClientToHostMessage", () => {
  it("accepts the client's ready message", () => {
    expect(isClientToHostMessage({ type: "ready" })).toBe(true);
  });

  it("rejects anything else", () => {
    for (const value of [
      null,
      "ready",
      { type: "history" },
      { type: "frameRate", framesPerSecond: 10 },
      {},
    ]) {
      expect(isClientToHostMessage(value)).toBe(false);
    }
  });
});
