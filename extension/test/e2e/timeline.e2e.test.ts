// timeline.e2e.test.ts - the event-trace timeline in a real VS Code (code-server + Chromium): F5 on
// samples/idle-demo (no launch.json, tracing off on its command line) shows the Cores tree in the Run and
// Debug container ("Toro Cores") while the session runs; `Toro: Open Timeline` switches tracing on and shows
// 4 lanes, each with halted intervals (read from the page's data attributes), drawn on the canvas; a wheel
// notch zooms and pauses live; `Toro: Export Trace (Perfetto JSON)` writes a Chrome JSON trace through the
// save dialog with one track per core (checked against Perfetto's importer rules); stopping leaves no QEMU; after a window reload the panel comes back
// with the zoomed range, still paused. Screenshots go to out/e2e/.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Frame } from "playwright-core";
import { perfettoJsonProblems } from "@toro-studio/debug-adapter/test-support";
import { qemuProcesses, type CodeServer } from "./harness/code-server";
import { repositoryRoot, useE2eSession } from "./harness/e2e-session";
import { waitUntil, type Workbench } from "./harness/workbench";

const session = useE2eSession("e2e-timeline");
let server: CodeServer;
let workbench: Workbench;
let workspace: string;
beforeAll(() => {
  ({ server, workbench, workspace } = session);
});

/** The timeline page's counts (data attributes on its <body>). */
async function pageData(frame: Frame): Promise<Record<string, string>> {
  return frame.evaluate(() => ({ ...document.body.dataset }) as Record<string, string>);
}

describe.sequential("the timeline of idle-demo", () => {
  let app: string;
  let frame: Frame;

  it("shows the Cores tree in Run and Debug during a toro session", async () => {
    app = path.join(workspace, "idle-demo");
    fs.cpSync(path.join(repositoryRoot, "samples", "idle-demo"), app, {
      recursive: true,
      filter: (source) => path.basename(source) !== "build",
    });
    await workbench.openFolder(app);
    await workbench.openFile("main.c");
    await workbench.page.keyboard.press("F5");
    await workbench.showRunAndDebug();
    // The view is contributed last in Run and Debug (below Breakpoints) and starts collapsed there.
    const header = workbench.page.locator('.pane-header[aria-label^="Toro Cores"]');
    await header.waitFor({ timeout: 150_000 });
    if ((await header.getAttribute("aria-expanded")) !== "true") await header.click();
    const rows = await waitUntil(
      "4 rows in the Toro Cores view of Run and Debug",
      () => workbench.treeRows("Toro Cores"),
      (labels) => labels.length === 4,
      150_000,
    );
    expect(rows.map((row) => row.split(":")[0])).toEqual(["CPU 0", "CPU 1", "CPU 2", "CPU 3"]);
    expect(await workbench.page.locator('.pane-header[aria-label^="Call Stack"]').isVisible()).toBe(true);
    await workbench.screenshot("01-cores-in-run-and-debug");
  });

  it("opens the timeline: tracing switched on, 4 lanes with halted intervals drawn", async () => {
    await workbench.runCommand("Toro: Open Timeline");
    frame = await workbench.webviewFrame("timeline");
    // idle-demo alternates 2 s of work with 3 s of idle: within a round every core halts.
    const data = await waitUntil(
      "4 lanes, each with halted intervals",
      () => pageData(frame),
      (values) => values.lanes === "4" && values.lanesWithHalts === "4" && Number(values.drawnRects) > 0,
      60_000,
    );
    expect(Number(data.haltedIntervals)).toBeGreaterThan(4);
    expect(data.enabledKinds).toBe(String(0xfffe));
    expect(await frame.locator("#notice").textContent()).toMatch(/switched on/);
    expect(await frame.locator(".core-analysis").count()).toBe(4);
    const painted = await frame.evaluate(() => {
      const canvas = document.getElementById("timeline") as HTMLCanvasElement;
      const pixels = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) count++;
      return count;
    });
    expect(painted).toBeGreaterThan(1000);
    await workbench.screenshot("02-timeline");
  });

  it("zooms with the wheel, which pauses live updates", async () => {
    const canvas = frame.locator("#timeline");
    const before = await frame.locator("#range").textContent();
    await canvas.hover({ position: { x: 300, y: 60 } });
    await workbench.page.mouse.wheel(0, -300);
    await waitUntil(
      "the range to narrow",
      async () => [await frame.locator("#range").textContent(), (await pageData(frame)).live],
      ([range, live]) => range !== before && live === "false",
      10_000,
    );
  });

  it("shows an interval's event fields when one is clicked", async () => {
    const canvas = frame.locator("#timeline");
    const laneMiddle = 22 + 17; // the ruler, then half of core 0's lane (timeline-canvas.ts)
    let state: string | null = null;
    for (const x of [120, 200, 280, 360, 440, 520]) {
      await canvas.click({ position: { x, y: laneMiddle } });
      state = await frame.locator("#details").getAttribute("data-state");
      if (state !== null) break;
    }
    expect(state).toMatch(/^(running|polling|halted|halted \(polling\)|lock spin)$/);
    const fields = await frame.locator("#details dd").allTextContents();
    expect(fields[0]).toBe("0"); // core
    expect(fields[3]).toMatch(/woken by|thread id|lock|not woken yet/);
  });

  it("exports the trace through the save dialog, one track per core", async () => {
    // The dialog proposes toro-trace.json in the workspace folder; the test accepts it. (Typing a path into
    // code-server's simple file dialog races its completion under load: it once produced a path that did not
    // exist.)
    const target = path.join(app, "toro-trace.json");
    await workbench.runCommand("Toro: Export Trace (Perfetto JSON)");
    // code-server's save dialog is VS Code's simple file dialog: a quick input holding a path.
    await workbench.page
      .locator(".quick-input-widget .quick-input-title", { hasText: "Export the event trace" })
      .waitFor({ timeout: 20_000 });
    const input = workbench.page.locator(".quick-input-widget input.input");
    await waitUntil(
      "the dialog to propose toro-trace.json in the workspace folder",
      async () => input.inputValue(),
      (value) => value.endsWith("/idle-demo/toro-trace.json"),
      10_000,
    );
    await workbench.screenshot("03-save-dialog");
    await input.press("Enter");
    await waitUntil(
      "the exported file",
      async () => fs.existsSync(target),
      (exists) => exists,
      30_000,
    );
    const file = await waitUntil(
      "the exported file to be complete JSON",
      async () => {
        try {
          return JSON.parse(fs.readFileSync(target, "utf8")) as {
            traceEvents: { name: string; args?: { name?: string } }[];
          };
        } catch {
          return null;
        }
      },
      (value) => value !== null,
      10_000,
    );
    const tracks = file!.traceEvents.filter((event) => event.name === "thread_name");
    expect(tracks.map((event) => event.args?.name)).toEqual(["core 0", "core 1", "core 2", "core 3"]);
    expect(perfettoJsonProblems(file)).toEqual([]); // what Perfetto's JSON importer needs
  });

  it("stops without leaving QEMU behind", async () => {
    await workbench.page.keyboard.press("Shift+F5");
    await waitUntil(
      "QEMU to exit",
      async () => qemuProcesses(server.root),
      (pids) => pids.length === 0,
      20_000,
    );
    await waitUntil(
      "the timeline to say ended",
      () => pageData(frame),
      (values) => values.phase === "ended",
      10_000,
    );
  });

  it("comes back after a window reload with the zoomed range, still paused", async () => {
    const before = await pageData(frame);
    expect(before.live).toBe("false");
    expect(Number(before.viewSpan)).toBeGreaterThan(0);
    const reloaded = workbench.page.waitForEvent("load", { timeout: 60_000 });
    await workbench.runCommand("Developer: Reload Window");
    await reloaded;
    await workbench.page.locator(".monaco-workbench .part.statusbar").waitFor({ timeout: 60_000 });
    const restored = await workbench.webviewFrame("timeline", 60_000);
    const after = await waitUntil(
      "the timeline page restored, told there is no session",
      () => pageData(restored),
      (values) => values.phase === "none",
      60_000,
    );
    expect(after.live).toBe("false");
    expect(after.viewSpan).toBe(before.viewSpan);
    expect(await restored.locator("#live").textContent()).toBe("Live");
    await workbench.screenshot("04-timeline-after-reload");
  });
});
