// timeline-bench.ts - the timeline's bench row, measured in the real webview: samples/compute with tracing
// on and a context switch every 64 iterations (launch.json below) fills the recorded window past 10^5
// intervals within seconds; with live paused and the whole window in view, wheel notches in and out make
// the page repaint, and the page's own draw time per frame (data-draw-milliseconds, timeline-canvas.ts) is
// taken per notch. Also the host's toroTraceWindow request time for that window. Used by extension-bench.ts.

import * as fs from "node:fs";
import * as path from "node:path";
import type { Frame } from "playwright-core";
import { qemuProcesses, type CodeServer } from "../e2e/harness/code-server";
import { waitUntil, type Workbench } from "../e2e/harness/workbench";

/** Intervals the window must hold before the repaint is measured. */
export const TIMELINE_BENCH_INTERVALS = 100_000;
const NOTCHES = 40;

export interface TimelineDraw {
  intervals: number;
  medianMilliseconds: number;
  maximumMilliseconds: number;
  rects: number;
  requestMilliseconds: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

async function data(frame: Frame): Promise<Record<string, string>> {
  return frame.evaluate(() => ({ ...document.body.dataset }) as Record<string, string>);
}

/** Copies samples/compute with a launch.json that traces a context-switch-heavy load. */
export function prepareComputeApp(repositoryRoot: string, workspace: string): string {
  const app = path.join(workspace, "compute");
  fs.cpSync(path.join(repositoryRoot, "samples", "compute"), app, {
    recursive: true,
    filter: (source) => path.basename(source) !== "build",
  });
  fs.mkdirSync(path.join(app, ".vscode"), { recursive: true });
  const configuration = {
    type: "toro",
    request: "launch",
    name: "compute, traced",
    app: "${workspaceFolder}",
    cpus: 4,
    cmdline: "trace=on ms=600000 yield=64",
    telemetryHz: 50,
  };
  fs.writeFileSync(
    path.join(app, ".vscode", "launch.json"),
    JSON.stringify({ version: "0.2.0", configurations: [configuration] }, null, 2),
  );
  return app;
}

export async function measureTimelineDraw(
  workbench: Workbench,
  server: CodeServer,
  app: string,
): Promise<TimelineDraw> {
  await workbench.openFolder(app);
  await workbench.openFile("main.c");
  await workbench.page.keyboard.press("F5");
  await workbench.runCommand("Toro: Open Timeline");
  const frame = await workbench.webviewFrame("timeline", 120_000);
  const filled = await waitUntil(
    `${TIMELINE_BENCH_INTERVALS} intervals in the timeline`,
    () => data(frame),
    (values) => Number(values.intervals ?? "0") >= TIMELINE_BENCH_INTERVALS,
    180_000,
    500,
  );
  await frame.locator("#live").click(); // paused: the window stays while the view is redrawn
  await frame.locator("#fit").click();
  const canvas = frame.locator("#timeline");
  await canvas.hover({ position: { x: 300, y: 60 } });
  const times: number[] = [];
  let rects = 0;
  for (let notch = 0; notch < NOTCHES; notch++) {
    await workbench.page.mouse.wheel(0, notch % 2 === 0 ? -100 : 100);
    await workbench.page.waitForTimeout(80); // a few animation frames: the page repaints in the next one
    const values = await data(frame);
    times.push(Number(values.drawMilliseconds));
    rects = Math.max(rects, Number(values.drawnRects ?? "0"));
  }
  await workbench.page.keyboard.press("Shift+F5");
  await waitUntil(
    "QEMU to exit",
    async () => qemuProcesses(server.root),
    (pids) => pids.length === 0,
    30_000,
  );
  return {
    intervals: Number(filled.intervals),
    medianMilliseconds: median(times),
    maximumMilliseconds: Math.max(...times),
    rects,
    requestMilliseconds: Number(filled.requestMilliseconds ?? "NaN"),
  };
}
