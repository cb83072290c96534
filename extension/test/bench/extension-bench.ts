// extension-bench.ts - the extension's benchmark rows, measured in a real VS Code (code-server + Chromium,
// the end-to-end harness): activation time (VS Code's own "Running Extensions" figure and the extension's
// log line), F5 to the Cores view showing 4 cores (cold and warm build, the warm one the median of 5 and
// broken down into consecutive phases: VS Code to the extension, the phases the extension logs
// (launch-timing.ts), first telemetry to the rows in the page's DOM, and the bench's own look at them), and chart frames the monitor
// webview applies per second at 10 Hz and 50 Hz telemetry (counted in the page), and the timeline's repaint
// time with 10^5 intervals in view (timeline-bench.ts). Run by scripts/bench.mjs (`--only f5`: the F5 rows
// alone; TORO_BENCH_ADAPTER_LOG=1: with the adapter's log of the last launch in out/bench/adapter-f5.log).

import * as fs from "node:fs";
import * as path from "node:path";
import { launchBrowser } from "../e2e/harness/browser";
import { qemuProcesses, startCodeServer, type CodeServer } from "../e2e/harness/code-server";
import { waitUntil, Workbench } from "../e2e/harness/workbench";
import { parseLaunchTimingLine, type LoggedLaunchTiming } from "../../src/debug/launch-phases";
import { coresRowsSeenAt, watchCoresRows } from "./rows-watch";
import { measureTimelineDraw, prepareComputeApp } from "./timeline-bench";

interface BenchRow {
  metric: string;
  value: number | null;
  unit: string;
  note: string;
}

const extensionRoot = path.resolve(__dirname, "..", "..");
const repositoryRoot = path.resolve(extensionRoot, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, "package.json"), "utf8"));
/** TORO_BENCH_VSIX: another build of the extension (e.g. main's, for a side-by-side before/after). */
const vsix =
  process.env.TORO_BENCH_VSIX ?? path.join(extensionRoot, `${manifest.name}-${manifest.version}.vsix`);
const output = path.join(extensionRoot, "out", "bench");
/** Seconds the webview frame rate is sampled per telemetry rate. */
const FRAME_RATE_SAMPLES = 8;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The extension's output channel log files (Toro). */
function toroLogFiles(server: CodeServer): string[] {
  const logs = path.join(server.root, "user-data", "logs");
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith("-Toro.log")) files.push(full);
    }
  };
  if (fs.existsSync(logs)) walk(logs);
  return files;
}

/** Every "F5 timing" line the extension logged (launch-timing.ts), parsed, oldest first. */
function loggedLaunchTimings(server: CodeServer): LoggedLaunchTiming[] {
  return toroLogFiles(server).flatMap((file) =>
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .map(parseLaunchTimingLine)
      .filter((timing): timing is LoggedLaunchTiming => timing !== null),
  );
}

/** The duration of activate() from the extension's log line in its output channel's log file. */
function loggedActivationMs(server: CodeServer): number | null {
  for (const file of toroLogFiles(server)) {
    const match = /activate\(\) took ([\d.]+) ms/.exec(fs.readFileSync(file, "utf8"));
    if (match !== null) return Number(match[1]);
  }
  return null;
}

/** VS Code's activation time of the extension, from Developer: Show Running Extensions. */
async function runningExtensionsActivationMs(workbench: Workbench): Promise<number | null> {
  await workbench.runCommand("Developer: Show Running Extensions");
  const row = workbench.page
    .locator(".runtime-extensions-editor .monaco-list-row", { hasText: "Toro Studio" })
    .first();
  await row.waitFor({ timeout: 20_000 });
  const text = (await row.locator(".activation-time").textContent()) ?? "";
  await workbench.page.keyboard.press("Control+W");
  const match = /([\d.]+)\s*ms/.exec(text);
  return match === null ? null : Number(match[1]);
}

/** One F5: keypress to the Cores view listing 4 cores with counters, and both ends on the epoch clock. */
interface F5Measurement {
  milliseconds: number;
  keypressEpochMs: number;
  rowsEpochMs: number;
  /** When the page's DOM first held those rows (rows-watch.ts's observer), null if it saw none. */
  domRowsEpochMs: number | null;
}

/** The wall clock the extension's span is on (Date.now(): performance.timeOrigin differs between processes). */
const epochNow = () => Date.now();

/** Presses F5 and measures the time until the Cores view lists 4 cores with counters. */
async function f5ToFourCores(workbench: Workbench): Promise<F5Measurement> {
  await workbench.showToroViews();
  await watchCoresRows(workbench.page);
  const keypressEpochMs = epochNow();
  await workbench.page.keyboard.press("F5");
  try {
    // The previous session's rows stay, marked "ended" (after the hypervisor summary: "TCG · xAPIC · ended"),
    // until the new session starts: they do not count. Nor does the moment after it starts when the view's
    // description is already the new session's but the tree still draws the old rows (VS Code updates the
    // two separately): the rows count only once the old ones have left the view.
    let oldRowsGone = false;
    await waitUntil(
      "4 cores of the new session in the Cores view",
      async () => ({
        rows: await workbench.treeRows("Cores"),
        description: await workbench.viewDescription("Cores"),
      }),
      (view) => {
        const fourCores = view.rows.length === 4 && view.rows.every((row) => /\d halts/.test(row));
        if (!fourCores) oldRowsGone = true;
        return oldRowsGone && fourCores && !view.description.endsWith("ended");
      },
      120_000,
      25,
    );
  } catch (error) {
    await workbench.screenshot("f5-failed");
    throw error;
  }
  const rowsEpochMs = epochNow();
  const domRowsEpochMs = await coresRowsSeenAt(workbench.page);
  return { milliseconds: rowsEpochMs - keypressEpochMs, keypressEpochMs, rowsEpochMs, domRowsEpochMs };
}

async function stopSession(workbench: Workbench, server: CodeServer): Promise<void> {
  await workbench.page.keyboard.press("Shift+F5");
  await waitUntil(
    "QEMU to exit",
    async () => qemuProcesses(server.root),
    (pids) => pids.length === 0,
    30_000,
  );
}

/** What the monitor page reports about its drawing, each a median over FRAME_RATE_SAMPLES seconds. */
interface FrameRate {
  frames: number | null;
  points: number | null;
  drawMilliseconds: number | null;
  animationFrames: number | null;
}

/** Median chart frames applied per second in the monitor page over FRAME_RATE_SAMPLES seconds. */
async function monitorFrameRate(workbench: Workbench): Promise<FrameRate> {
  await workbench.runCommand("Toro: Open Live Monitor");
  const frame = await workbench.webviewFrame("frame-rate");
  await workbench.page.waitForTimeout(3000); // past the first, partial second
  const frames: number[] = [];
  const points: number[] = [];
  const drawMilliseconds: number[] = [];
  const animationFrames: number[] = [];
  for (let sample = 0; sample < FRAME_RATE_SAMPLES; sample++) {
    await workbench.page.waitForTimeout(1000);
    const rates = await frame.evaluate(() => {
      const footer = document.getElementById("frame-rate");
      return {
        frames: Number(footer?.dataset.framesPerSecond ?? "0"),
        points: Number(footer?.dataset.pointsPerSecond ?? "0"),
        drawMilliseconds: Number(footer?.dataset.drawMilliseconds ?? "0"),
        animationFrames: Number(footer?.dataset.animationFramesPerSecond ?? "0"),
      };
    });
    frames.push(rates.frames);
    points.push(rates.points);
    drawMilliseconds.push(rates.drawMilliseconds);
    animationFrames.push(rates.animationFrames);
  }
  return {
    frames: median(frames),
    points: median(points),
    drawMilliseconds: median(drawMilliseconds),
    animationFrames: median(animationFrames),
  };
}

/** The extension's timing line of the launch after the first `count` ones (written once it is live). */
async function newLaunchTiming(server: CodeServer, count: number): Promise<LoggedLaunchTiming | null> {
  const timings = await waitUntil(
    "the F5 timing line",
    async () => loggedLaunchTimings(server),
    (found) => found.length > count,
    10_000,
  ).catch(() => []);
  return timings[count] ?? null;
}

/**
 * Where the warm F5's time went, consecutive phases that add up to the measured total (to rounding): VS Code
 * from the keypress to F5 reaching the extension, the extension's phases (launch-phases.ts: to the first live
 * telemetry), and from that telemetry to 4 rows drawn (store, view refresh, tree rendering, the bench's
 * 25 ms look). The two outer ones come from the wall clock the bench and the extension share (the line's span).
 */
function f5BreakdownRows(measured: F5Measurement, timing: LoggedLaunchTiming | null): BenchRow[] {
  if (timing === null) {
    return [{ metric: "F5 warm breakdown", value: null, unit: "ms", note: "no F5 timing line was logged" }];
  }
  const logged = "logged by the extension (launch-timing.ts)";
  const span = timing.span; // null from an extension older than the span (no outer phases then)
  return [
    {
      metric: "  F5 warm: keypress to the extension (VS Code)",
      value: span === null ? null : span.startEpochMs - measured.keypressEpochMs,
      unit: "ms",
      note: "keypress to resolveDebugConfiguration, on the shared wall clock",
    },
    ...Object.entries(timing.phases)
      .filter(([phase]) => phase !== "total")
      .map(([phase, milliseconds]) => ({
        metric: `  F5 warm: ${phase}`,
        value: milliseconds,
        unit: "ms",
        note: logged,
      })),
    ...(measured.domRowsEpochMs === null
      ? [
          {
            metric: "  F5 warm: first telemetry to 4 rows drawn",
            value: span === null ? null : measured.rowsEpochMs - span.endEpochMs,
            unit: "ms",
            note: "the extension's first-telemetry mark to the bench seeing the rows (view refresh, rendering)",
          },
        ]
      : [
          {
            metric: "  F5 warm: first telemetry to 4 rows in the DOM",
            value: span === null ? null : measured.domRowsEpochMs - span.endEpochMs,
            unit: "ms",
            note: "the extension's first-telemetry mark to the page's DOM holding the rows (store, tree refresh, VS Code)",
          },
          {
            metric: "  F5 warm: rows in the DOM to the bench seeing them",
            value: measured.rowsEpochMs - measured.domRowsEpochMs,
            unit: "ms",
            note: "the bench's own look (every 25 ms, two page queries), not F5's",
          },
        ]),
  ];
}

/** The bench row of the monitor's frame rate at `hz` telemetry. */
function frameRateRow(hz: number, rate: FrameRate): BenchRow {
  return {
    metric: `monitor frames applied/s at ${hz} Hz telemetry`,
    value: rate.frames,
    unit: "fps",
    note: `${rate.points ?? "-"} points/s received, ${rate.drawMilliseconds?.toFixed(1) ?? "-"} ms per frame, ${rate.animationFrames ?? "-"} animation frames/s offered; target ${hz}`,
  };
}

/** code-server with the extension, Chromium on it, and a copy of samples/idle-demo open (activation awaited). */
async function withIdleDemo(
  measure: (workbench: Workbench, server: CodeServer, app: string) => Promise<BenchRow[]>,
): Promise<BenchRow[]> {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package -w extension`);
  fs.mkdirSync(output, { recursive: true });
  // The Toro views stay in front while sessions start (VS Code would switch to Run and Debug).
  const server = await startCodeServer({ vsix, settings: { "debug.openDebug": "neverOpen" } });
  try {
    const browser = await launchBrowser(server.root);
    try {
      const workbench = new Workbench(browser.page, server.url, output);
      const app = path.join(server.root, "workspace", "idle-demo");
      fs.cpSync(path.join(repositoryRoot, "samples", "idle-demo"), app, {
        recursive: true,
        filter: (source) => path.basename(source) !== "build",
      });
      if (process.env.TORO_BENCH_ADAPTER_LOG === "1") writeLoggingLaunchJson(app);
      await workbench.openFolder(app);
      await workbench.openFile("main.c");
      await waitUntil(
        "the extension's activation log line",
        async () => loggedActivationMs(server),
        (value) => value !== null,
        30_000,
      );
      return await measure(workbench, server, app);
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}

/** The cold F5 (nothing built yet); the session is left running. */
async function coldF5Row(workbench: Workbench): Promise<BenchRow> {
  await workbench.openFile("main.c");
  return {
    metric: "F5 to Cores view with 4 cores, cold build",
    value: (await f5ToFourCores(workbench)).milliseconds,
    unit: "ms",
    note: "build + QEMU boot (TCG) + GDB + first telemetry",
  };
}

/** How many warm F5s the warm row takes the median of. */
const WARM_F5_RUNS = 5;

interface WarmRun {
  measured: F5Measurement;
  timing: LoggedLaunchTiming | null;
}

/**
 * WARM_F5_RUNS warm F5s (make has nothing to do), each stopped again: the row is their median, with all of
 * them in its note, and the breakdown is the median run's. Call with no session running.
 */
async function warmF5Rows(workbench: Workbench, server: CodeServer): Promise<BenchRow[]> {
  const runs: WarmRun[] = [];
  for (let run = 0; run < WARM_F5_RUNS; run++) {
    await workbench.page.waitForTimeout(1500); // VS Code done with the last session (not measured)
    await workbench.selectTab("main.c");
    const before = loggedLaunchTimings(server).length;
    const measured = await f5ToFourCores(workbench);
    runs.push({ measured, timing: await newLaunchTiming(server, before) });
    await stopSession(workbench, server);
    const phases = f5BreakdownRows(measured, runs[run].timing).map((row) => row.value?.toFixed(0) ?? "-");
    process.stdout.write(
      `warm F5 ${run + 1}: ${measured.milliseconds.toFixed(0)} ms = ${phases.join(" + ")}\n`,
    );
  }
  const total = (run: WarmRun) => run.measured.milliseconds;
  const sorted = [...runs].sort((left, right) => total(left) - total(right));
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  const all = runs.map((run) => total(run).toFixed(0)).join(", ");
  return [
    {
      metric: "F5 to Cores view with 4 cores, warm build",
      value: total(middle),
      unit: "ms",
      note: `median of ${runs.length} (${all} ms); make has nothing to do`,
    },
    ...f5BreakdownRows(middle.measured, middle.timing),
  ];
}

/**
 * TORO_BENCH_ADAPTER_LOG=1: a launch.json with the configuration F5 resolves anyway, plus `logFile`, so each
 * launch leaves the adapter's own timestamps in out/bench/adapter-f5.log (the last launch's).
 */
function writeLoggingLaunchJson(app: string): void {
  fs.mkdirSync(path.join(app, ".vscode"), { recursive: true });
  const configuration = {
    type: "toro",
    request: "launch",
    name: "Toro: idle-demo (logged)",
    app: "${workspaceFolder}",
    logFile: path.join(output, "adapter-f5.log"),
  };
  fs.writeFileSync(
    path.join(app, ".vscode", "launch.json"),
    JSON.stringify({ version: "0.2.0", configurations: [configuration] }),
  );
}

/** Every row. */
export function runExtensionBench(): Promise<BenchRow[]> {
  return withIdleDemo(async (workbench, server, app) => {
    const rows: BenchRow[] = [];
    rows.push({
      metric: "activation time",
      value: await runningExtensionsActivationMs(workbench),
      unit: "ms",
      note: "VS Code's Running Extensions: code loading + activate()",
    });
    rows.push({
      metric: "activate() alone",
      value: loggedActivationMs(server),
      unit: "ms",
      note: "logged by the extension (registrations only)",
    });

    rows.push(await coldF5Row(workbench));
    const tenHz = await monitorFrameRate(workbench);
    await stopSession(workbench, server);
    rows.push(...(await warmF5Rows(workbench, server)));
    rows.push(frameRateRow(10, tenHz));

    fs.mkdirSync(path.join(app, ".vscode"), { recursive: true });
    fs.writeFileSync(path.join(app, ".vscode", "settings.json"), JSON.stringify({ "toro.telemetryHz": 50 }));
    await workbench.page.waitForTimeout(1500); // the settings watcher
    await workbench.selectTab("main.c");
    await f5ToFourCores(workbench);
    const fiftyHz = await monitorFrameRate(workbench);
    await stopSession(workbench, server);
    rows.push(frameRateRow(50, fiftyHz));

    const draw = await measureTimelineDraw(
      workbench,
      server,
      prepareComputeApp(repositoryRoot, path.join(server.root, "workspace")),
    );
    rows.push({
      metric: `timeline repaint, ${draw.intervals.toLocaleString("en")} intervals in view`,
      value: draw.medianMilliseconds,
      unit: "ms",
      note: `median of 40 wheel notches (max ${draw.maximumMilliseconds.toFixed(1)} ms, ${draw.rects} rectangles); toroTraceWindow request ${draw.requestMilliseconds.toFixed(0)} ms`,
    });
    return rows;
  });
}

/** Only the F5 rows (`node scripts/bench.mjs --only f5`): the cold F5, then the warm ones. */
export function runF5Bench(): Promise<BenchRow[]> {
  return withIdleDemo(async (workbench, server) => {
    const cold = await coldF5Row(workbench);
    await stopSession(workbench, server);
    return [cold, ...(await warmF5Rows(workbench, server))];
  });
}

export function formatRows(rows: BenchRow[]): string[] {
  const cells = rows.map((row) => [
    row.metric,
    row.value === null ? "-" : `${row.value.toFixed(row.unit === "ms" ? 0 : 1)} ${row.unit}`,
    row.note,
  ]);
  const headers = ["extension (VS Code 1.100.3 in code-server, headless Chromium)", "value", "note"];
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((cell) => cell[column].length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, column) => value.padEnd(widths[column]))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)];
}

export async function main(): Promise<void> {
  const only = process.argv.indexOf("--only");
  const selection = only === -1 ? "all" : process.argv[only + 1];
  if (selection !== "all" && selection !== "f5")
    throw new Error(`--only takes "f5" (the F5 rows alone), not "${selection ?? ""}"`);
  const rows = selection === "f5" ? await runF5Bench() : await runExtensionBench();
  fs.writeFileSync(path.join(output, "extension-bench.json"), `${JSON.stringify(rows, null, 2)}\n`);
  process.stdout.write(`\n${formatRows(rows).join("\n")}\n`);
}
