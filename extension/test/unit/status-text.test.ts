// status-text.test.ts - the status bar text (src/views/status-text.ts): `4 cores · 3 halted · host 0.9%`.
import { describe, expect, it } from "vitest";
import { statusText } from "../../src/views/status-text";
import { body, core, unreadableBody } from "./telemetry-fixtures";

describe("statusText", () => {
  it("counts online cores, halted cores and the QEMU process's host CPU", () => {
    const live = body({
      cores: [core(0, "running"), core(1, "halted"), core(2, "halted"), core(3, "halted")],
    });
    expect(statusText(live, "live").text).toBe("$(pulse) 4 cores · 3 halted · host 0.9%");
  });

  it("leaves offline cores out and rounds large host percentages", () => {
    const text = statusText(
      body({
        cores: [core(0, "idle-spin"), core(1, "offline")],
        host: { qemuCpuPercent: 198.6, qemuPid: 1 },
      }),
      "live",
    ).text;
    expect(text).toBe("$(pulse) 1 core · 0 halted · host 199%");
  });

  it("marks the last snapshot of an ended session", () => {
    const status = statusText(body(), "ended");
    expect(status.text.endsWith("(ended)")).toBe(true);
    expect(status.tooltip).toContain("last snapshot");
  });

  it("says when there are no cores yet and the host CPU is not measured", () => {
    const status = statusText(
      { ...unreadableBody(1), host: { qemuCpuPercent: null, qemuPid: null } },
      "live",
    );
    expect(status.text).toBe("$(pulse) Toro: no cores yet · host -");
    expect(status.tooltip).toContain("telemetry: not booted yet");
  });
});
