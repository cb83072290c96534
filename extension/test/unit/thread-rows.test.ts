// thread-rows.test.ts - the Threads view model (src/views/thread-rows.ts): ordered by core then id, with
// state and the polling flag.
import { describe, expect, it } from "vitest";
import { threadRows } from "../../src/views/thread-rows";
import { body } from "./telemetry-fixtures";

describe("threadRows", () => {
  it("orders threads by core, then id", () => {
    expect(threadRows(body()).map((row) => row.label)).toEqual([
      "main #1",
      "poller #2",
      "worker-0 #10",
      "worker-3 #13",
    ]);
  });

  it("shows core, state, the polling flag and switches", () => {
    const poller = threadRows(body()).find((row) => row.threadId === 2)!;
    expect(poller.description).toBe("CPU 0 · ready · polling · 1,234 switches");
    expect(poller.icon.codicon).toBe("radio-tower");
    const main = threadRows(body()).find((row) => row.threadId === 1)!;
    expect(main.description).toBe("CPU 0 · sleeping · 3 switches");
    expect(main.contextValue).toBe("toroThread.sleeping");
  });

  it("has no rows without telemetry", () => {
    expect(threadRows(null)).toEqual([]);
  });
});
