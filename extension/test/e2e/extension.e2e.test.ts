// extension.e2e.test.ts - the extension in a real VS Code (code-server 4.100.3 + Debian Chromium): F5 in
// idle-demo with no launch.json stops in main with 4 vCPUs in the Call Stack (a click in the Threads view later
// selects a paused kernel thread there, with its own stack); the Cores view, the status bar
// and the live monitor follow the running kernel; stopping leaves no QEMU and no adapter but the one spare
// waiting for the next F5 (with its GDB); a project scaffolded from the
// command palette into an empty folder builds and debugs; a compile error lands in Problems; `Toro: Stress
// with HTTP` loads samples/http-server launched with "network": true while the Cores view shows its cores
// working, then halted. Screenshots go to out/e2e/ (test artifacts); the Cores view and monitor ones go to media/screenshots/ for the README
// (when missing, or with TORO_UPDATE_SCREENSHOTS=1).
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { childProcesses, qemuProcesses, spareAdapterProcesses, type CodeServer } from "./harness/code-server";
import { extensionRoot, repositoryRoot, useE2eSession } from "./harness/e2e-session";
import { waitUntil, type Workbench } from "./harness/workbench";

const readmeScreenshots = path.join(extensionRoot, "media", "screenshots");

const session = useE2eSession("e2e");
const artifacts = session.artifacts;
let server: CodeServer;
let workbench: Workbench;
let workspace: string;
beforeAll(() => {
  ({ server, workbench, workspace } = session);
});

/** Copies a repository sample (without build output) into the test's workspace folder. */
function copySample(sample: string, name: string): string {
  const target = path.join(workspace, name);
  fs.cpSync(path.join(repositoryRoot, "samples", sample), target, {
    recursive: true,
    filter: (source) => path.basename(source) !== "build",
  });
  return target;
}

/** The 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const index = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

/** Halts per core from the Cores view's rows ("CPU 0: halted · rest · 1,234 halts · ..."). */
function haltsOf(rows: string[]): number[] {
  return rows.map((row) => Number((/([\d,]+) halts/.exec(row)?.[1] ?? "NaN").replace(/,/g, "")));
}

/** The socket a spare adapter listens on (`--spare <socket>` in its command line). */
function spareSocketOf(pid: number): string {
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  return argv[argv.indexOf("--spare") + 1];
}

async function waitForNoQemu(): Promise<void> {
  await waitUntil(
    "QEMU to exit",
    async () => qemuProcesses(server.root),
    (pids) => pids.length === 0,
    20_000,
  );
}

describe.sequential("idle-demo, F5 without launch.json", () => {
  let app: string;

  it("stops at a breakpoint in main, with the 4 vCPUs as threads in the Call Stack", async () => {
    app = copySample("idle-demo", "idle-demo");
    await workbench.openFolder(app);
    await workbench.openFile("main.c");
    const mainLine = lineOf(path.join(app, "main.c"), "struct phase_plan busy =");
    await workbench.toggleBreakpoint(mainLine);
    await workbench.page.keyboard.press("F5");
    // A cold build takes seconds: the launch's progress notification shows meanwhile.
    await workbench.page
      .locator(".notifications-toasts .notification-toast", { hasText: "Toro: idle-demo" })
      .waitFor({ timeout: 15_000 });
    await workbench.showRunAndDebug();
    // The stopped vCPU's row expands to its frames a moment after the stop shows.
    const topFrame = new RegExp(`Stack Frame main, line ${mainLine}, main\\.c`);
    const rows = await waitUntil(
      "the Call Stack to show the breakpoint stop in main",
      () => workbench.callStackRows(),
      (labels) =>
        labels.some((label) => /Paused on breakpoint/i.test(label)) &&
        labels.some((label) => topFrame.test(label)),
      150_000,
    );
    const threads = rows.filter((label) => label.startsWith("Thread "));
    expect(threads.map((label) => /Thread (CPU \d)/.exec(label)?.[1])).toEqual([
      "CPU 0",
      "CPU 1",
      "CPU 2",
      "CPU 3",
    ]);
    await workbench.page.locator(".monaco-editor .debug-top-stack-frame-line").first().waitFor();
    expect(fs.existsSync(path.join(app, ".vscode", "launch.json"))).toBe(false);
    expect(fs.existsSync(path.join(app, "build", "kernel.elf"))).toBe(true);
    await workbench.screenshot("01-breakpoint-in-main");
  });

  it("selects a vCPU in the Call Stack when its row in the Cores view is clicked", async () => {
    await workbench.showToroViews();
    const row = workbench.viewPane("Cores").locator(".monaco-list-row", { hasText: "CPU 2" });
    // Rows settle once the stop's telemetry arrived; unchanged rows are not redrawn (row-tree-provider.ts).
    let previous = "";
    await waitUntil(
      "the Cores view's 4 rows to settle",
      () => workbench.treeRows("Cores"),
      (rows) => {
        const settled = rows.length === 4 && rows.join("\n") === previous;
        previous = rows.join("\n");
        return settled;
      },
      20_000,
    );
    await row.click();
    // The Call Stack renders only the rows in view: the empty Watch view gives it room for every vCPU (Run and
    // Debug also holds the Toro Cores view during a toro session).
    await workbench.collapseView("Watch");
    // The adapter re-sends the stop for thread 3 (CPU 2): VS Code expands it and shows its frames.
    const rows = await waitUntil(
      "CPU 2's frames in the Call Stack",
      () => workbench.callStackRows(),
      (labels) => {
        const thread = labels.findIndex((label) => label.startsWith("Thread CPU 2"));
        return thread >= 0 && (labels[thread + 1] ?? "").startsWith("Stack Frame");
      },
      20_000,
    );
    expect(rows.filter((label) => label.startsWith("Thread "))).toHaveLength(4);
    await workbench.screenshot("01b-cpu2-selected");
  });

  it("continues, and the Cores view shows 4 rows whose halts rise while the kernel idles", async () => {
    await workbench.page.keyboard.press("F5");
    await waitUntil(
      "the vCPUs to run",
      () => workbench.callStackRows(),
      (labels) => !labels.some((label) => /Paused/.test(label)),
      20_000,
    );
    await workbench.showToroViews();
    const first = await waitUntil(
      "4 core rows",
      () => workbench.treeRows("Cores"),
      (rows) => rows.length === 4 && haltsOf(rows).every(Number.isFinite),
      30_000,
    );
    expect(first.map((row) => row.split(":")[0])).toEqual(["CPU 0", "CPU 1", "CPU 2", "CPU 3"]);
    // idle-demo alternates 2 s of work with 3 s of idle: within one round every core halts again.
    const later = await waitUntil(
      "every core's halts to rise",
      () => workbench.treeRows("Cores"),
      (rows) => haltsOf(rows).every((halts, core) => halts > haltsOf(first)[core]),
      30_000,
    );
    expect(haltsOf(later).length).toBe(4);
    await workbench.resizeSideBar(620);
    await workbench.page.waitForTimeout(600);
    await workbench.page
      .locator(".part.sidebar")
      .screenshot({ path: path.join(artifacts, "02-cores-view.png") });
  });

  it("shows cores, halted cores and the QEMU process's host CPU in the status bar", async () => {
    const text = await waitUntil(
      "the Toro status bar item",
      () => workbench.toroStatusText(),
      (value) => value !== null && /host \d/.test(value),
      20_000,
    );
    expect(text).toMatch(/4 cores · [0-4] halted · host \d+(\.\d)?%/);
  });

  it("opens the live monitor, whose charts draw points", async () => {
    await workbench.runCommand("Toro: Open Live Monitor");
    const frame = await workbench.webviewFrame("frame-rate");
    await waitUntil(
      "the monitor to draw points",
      () => frame.evaluate(() => Number(document.body.dataset.drawnPoints ?? "0")),
      (points) => points >= 10,
      30_000,
    );
    const charts = await frame.evaluate(() => document.querySelectorAll("canvas").length);
    expect(charts).toBe(6); // host CPU, halts/s, and one stacked chart per core
    const paintedPixels = await frame.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>("[data-core='1'] canvas");
      const context = canvas?.getContext("2d");
      if (canvas === null || canvas === undefined || context === null || context === undefined) return 0;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) painted++;
      return painted;
    });
    expect(paintedPixels).toBeGreaterThan(1000);
    const framesPerSecond = await waitUntil(
      "a frame rate in the footer",
      () =>
        frame.evaluate(() => Number(document.getElementById("frame-rate")?.dataset.framesPerSecond ?? "0")),
      (rate) => rate > 0,
      10_000,
    );
    expect(framesPerSecond).toBeGreaterThan(0);
    await workbench.runCommand("View: Hide Panel");
    await workbench.selectTab("Toro Monitor");
    await workbench.runCommand("View: Maximize Editor Group and Hide Side Bars");
    await workbench.runCommand("Notifications: Clear All Notifications");
    await workbench.page.waitForTimeout(15_000); // a fuller minute on the charts for the README
    await workbench.page.locator(".part.editor").screenshot({ path: path.join(artifacts, "03-monitor.png") });
    await workbench.runCommand("View: Toggle Maximize Editor Group");
  });

  it("keeps the monitor's charts when its panel is hidden and shown again", async () => {
    await workbench.selectTab("Toro Monitor");
    await workbench.openFile("README.md"); // replaces the monitor in its group: the webview is torn down
    await workbench.selectTab("Toro Monitor");
    const frame = await workbench.webviewFrame("frame-rate");
    const points = await waitUntil(
      "the restored charts",
      () => frame.evaluate(() => Number(document.body.dataset.drawnPoints ?? "0")),
      (count) => count >= 100,
      5_000,
    );
    expect(points).toBeGreaterThanOrEqual(100);
  });

  it("selects a kernel thread in the Call Stack when its row in the Threads view is clicked", async () => {
    // Pause while main waits for its workers in thread_join (it runs only for a moment between phases).
    let threadRows: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await workbench.page.keyboard.press("F6");
      await workbench.showRunAndDebug();
      await waitUntil(
        "the pause",
        () => workbench.callStackRows(),
        (labels) => labels.some((label) => /Paused on pause/i.test(label)),
        20_000,
      );
      await workbench.showToroViews();
      threadRows = await waitUntil(
        "main in the Threads view",
        () => workbench.treeRows("Threads"),
        (rows) => rows.some((row) => row.startsWith("main #1:")),
        20_000,
      );
      if (threadRows.some((row) => /^main #1: CPU 0 · blocked/.test(row))) break;
      await workbench.page.keyboard.press("F5");
      await workbench.page.waitForTimeout(500);
    }
    expect(threadRows.find((row) => row.startsWith("main #1:"))).toMatch(/^main #1: CPU 0 · blocked/);
    let previous = "";
    await waitUntil(
      "the Threads view's rows to settle",
      () => workbench.treeRows("Threads"),
      (rows) => {
        const settled = rows.join("\n") === previous;
        previous = rows.join("\n");
        return settled;
      },
      20_000,
    );
    await workbench.viewPane("Threads").locator(".monaco-list-row", { hasText: "main #1" }).click();
    // The adapter re-sends the stop for the kernel thread (DAP id 100001): VS Code expands its own stack,
    // unwound from its saved context, down to the sample's run_phase.
    const rows = await waitUntil(
      "main's frames in the Call Stack",
      () => workbench.callStackRows(),
      (labels) => {
        const thread = labels.findIndex((label) =>
          label.startsWith("Thread Thread 1 · main · core 0 · blocked"),
        );
        return (
          thread >= 0 && labels.slice(thread + 1).some((label) => label.startsWith("Stack Frame thread_join"))
        );
      },
      20_000,
    );
    expect(rows.some((label) => label.startsWith("Stack Frame run_phase"))).toBe(true);
    // The vCPUs are still there, above the kernel threads (the list scrolls: not all rows are rendered).
    expect(rows.some((label) => /^Thread CPU \d/.test(label))).toBe(true);
    // Its top frame is focused: Variables shows that frame's Locals, read through the thread's saved context
    // (and no Registers scope: a switch saves only the callee-saved ones).
    await waitUntil(
      "scheduler_switch_out's Locals in the Variables view",
      async () => (await workbench.viewPane("Variables").textContent()) ?? "",
      (text) => /new_state\s*=\s*4/.test(text) && !/Registers/.test(text),
      20_000,
    );
    await workbench.screenshot("02b-kernel-thread-selected");
    await workbench.page.keyboard.press("F5");
    await waitUntil(
      "the vCPUs to run again",
      () => workbench.callStackRows(),
      (labels) => !labels.some((label) => /Paused/.test(label)),
      20_000,
    );
  });

  it("restarts the session with another idle policy, and idle cores then spin", async () => {
    const before = qemuProcesses(server.root);
    await workbench.runCommandAndPick("Toro: Switch Idle Policy", "busy");
    await workbench.showRunAndDebug();
    // The breakpoint in main is still set: the new session stops there first.
    await waitUntil(
      "the new session's breakpoint stop",
      () => workbench.callStackRows(),
      (labels) => labels.some((label) => /Paused on breakpoint/i.test(label)),
      150_000,
    );
    const after = qemuProcesses(server.root);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    await workbench.page.keyboard.press("F5");
    await workbench.showToroViews();
    await waitUntil(
      "a core spinning idle under idle=busy",
      () => workbench.treeRows("Cores"),
      (rows) => rows.some((row) => row.includes("idle spin")),
      30_000,
    );
    await waitUntil(
      "the status bar tooltip to name the policy",
      () => workbench.page.locator('[id="toro-studio.toro.toro.status"]').getAttribute("aria-label"),
      (label) => label?.includes("idle policy: busy") ?? false,
      10_000,
    );
  });

  it("stops without leaving QEMU behind, and keeps the last snapshot marked as ended", async () => {
    expect(qemuProcesses(server.root)).toHaveLength(1);
    const sparesBefore = spareAdapterProcesses(server.root);
    await workbench.page.keyboard.press("Shift+F5");
    await waitForNoQemu();
    // The spare adapters that served sessions exit with them; one spare waits for the next F5, with its GDB.
    await waitUntil(
      "one spare adapter, with its GDB, waiting for the next F5",
      async () => spareAdapterProcesses(server.root),
      (pids) => pids.length === 1 && childProcesses(pids[0], "gdb").length === 1,
      20_000,
    );
    const [waiting] = spareAdapterProcesses(server.root);
    expect(sparesBefore.filter((pid) => pid !== waiting).length).toBeGreaterThan(0); // one served this session
    expect(fs.statSync(path.dirname(spareSocketOf(waiting))).mode & 0o777).toBe(0o700);
    await workbench.showToroViews();
    await workbench.page.locator(".pane-body", { hasText: "ended" }).first().waitFor({ timeout: 20_000 });
    expect(await workbench.treeRows("Cores")).toHaveLength(4);
    await waitUntil(
      "the status bar to say ended",
      () => workbench.toroStatusText(),
      (text) => text?.endsWith("(ended)") ?? false,
      5_000,
    );
    await workbench.screenshot("04-ended");
  });
});

describe.sequential("a new project from a sample", () => {
  let project: string;

  it("is scaffolded from the command palette into an empty folder, and F5 debugs it", async () => {
    project = path.join(workspace, "my-hello");
    fs.mkdirSync(project);
    await workbench.runCommandAndPick("Toro: New Project from Sample", "hello");
    const input = workbench.page.locator(".quick-input-widget input.input");
    await input.waitFor();
    await workbench.screenshot("05-folder-dialog");
    await input.fill(`${project}/`);
    await workbench.page.waitForTimeout(500);
    await workbench.page.keyboard.press("Enter");
    await workbench.screenshot("06-folder-dialog-entered");
    await waitUntil(
      "the project files",
      async () => fs.existsSync(path.join(project, ".vscode", "tasks.json")),
      (exists) => exists,
      20_000,
    );
    expect(fs.readdirSync(project).sort()).toEqual([".vscode", "README.md", "main.c"]);
    await workbench.page.waitForURL((url) => url.searchParams.get("folder")?.endsWith("my-hello") ?? false, {
      timeout: 30_000,
    });
    await workbench.page.locator(".monaco-workbench .part.statusbar").waitFor({ timeout: 60_000 });
    await workbench.openFile("main.c");
    const line = lineOf(path.join(project, "main.c"), "thread_create");
    await workbench.toggleBreakpoint(line);
    await workbench.page.keyboard.press("F5");
    await workbench.showRunAndDebug();
    await waitUntil(
      "the breakpoint stop",
      () => workbench.callStackRows(),
      (labels) => labels.some((label) => /Paused on breakpoint/i.test(label)),
      150_000,
    );
    expect(fs.existsSync(path.join(project, "build", "kernel.elf"))).toBe(true);
    await workbench.screenshot("07-new-project-breakpoint");
    await workbench.page.keyboard.press("Shift+F5");
    await waitForNoQemu();
  });

  it("shows a compile error in the Problems panel and does not boot", async () => {
    const main = path.join(project, "main.c");
    const original = fs.readFileSync(main, "utf8");
    fs.writeFileSync(main, `${original}\nint broken = ;\n`);
    try {
      await workbench.page.waitForTimeout(1000);
      await workbench.page.keyboard.press("F5");
      await workbench.page
        .locator(".notifications-toasts", { hasText: "building my-hello failed" })
        .waitFor({ timeout: 120_000 });
      await workbench.page.keyboard.press("Control+Shift+M");
      const problem = workbench.page.locator(".markers-panel .monaco-list-row", {
        hasText: "expected expression",
      });
      await problem.first().waitFor({ timeout: 20_000 });
      expect(
        await workbench.page.locator(".markers-panel .monaco-list-row", { hasText: "main.c" }).count(),
      ).toBeGreaterThan(0);
      expect(qemuProcesses(server.root)).toEqual([]);
      await workbench.screenshot("08-compile-error");
    } finally {
      fs.writeFileSync(main, original);
    }
  });
});

describe.sequential("the toolchain check", () => {
  it("stops F5 when QEMU is missing, with the exact install command and a link to the setting", async () => {
    const project = path.join(workspace, "my-hello");
    const settings = path.join(project, ".vscode", "settings.json");
    fs.writeFileSync(settings, JSON.stringify({ "toro.qemuPath": "/nonexistent/qemu-system-x86_64" }));
    try {
      await workbench.page.waitForTimeout(1500); // the settings watcher
      await workbench.runCommand("Notifications: Clear All Notifications");
      await workbench.page.keyboard.press("F5");
      const toast = workbench.page.locator(".notifications-toasts .notification-toast", {
        hasText: "Toro cannot find QEMU",
      });
      await toast.waitFor({ timeout: 30_000 });
      expect(await toast.textContent()).toContain("sudo apt-get install -y qemu-system-x86");
      expect(qemuProcesses(server.root)).toEqual([]);
      await workbench.screenshot("09-missing-qemu");
      await toast.locator(".monaco-button", { hasText: "Open Settings" }).click();
      await workbench.page
        .locator(".settings-editor .setting-item-contents", { hasText: "Qemu Path" })
        .first()
        .waitFor({ timeout: 20_000 });
      await workbench.screenshot("10-settings");
    } finally {
      fs.rmSync(settings);
    }
  });
});

describe.sequential("HTTP stress on samples/http-server", () => {
  it("loads the forwarded port of a session launched with network: true; the cores work, then halt", async () => {
    const app = copySample("http-server", "http-server");
    fs.mkdirSync(path.join(app, ".vscode"));
    fs.writeFileSync(
      path.join(app, ".vscode", "launch.json"),
      JSON.stringify({
        version: "0.2.0",
        configurations: [
          {
            type: "toro",
            request: "launch",
            name: "http-server",
            app: "${workspaceFolder}",
            cpus: 2,
            network: true,
          },
        ],
      }),
    );
    await workbench.openFolder(app);
    await workbench.openFile("main.c");
    await workbench.runCommand("Debug: Start Debugging");
    // The session's start brings up Run and Debug: show the Toro views again on every read.
    const coreRows = async () => {
      await workbench.showToroViews();
      return workbench.treeRows("Cores");
    };
    await waitUntil("the server's 2 cores in the Cores view", coreRows, (rows) => rows.length === 2, 150_000);
    // main() creates the workers right before it prints "listening".
    await waitUntil(
      "the server's workers in the Threads view",
      async () => {
        await workbench.showToroViews();
        return workbench.treeRows("Threads");
      },
      (rows) => rows.filter((row) => row.includes("http-worker")).length === 2,
      30_000,
    );
    await workbench.runCommandAndPick("Toro: Stress with HTTP", "10 seconds");
    const busy = await waitUntil(
      "a core busy under the load",
      coreRows,
      (rows) => rows.some((row) => !/: halted/.test(row)),
      20_000,
    );
    expect(busy.length).toBe(2);
    await workbench.screenshot("11-stress-running");
    const done = workbench.page.locator(".notifications-toasts .notification-toast", {
      hasText: "Toro stress done",
    });
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toMatch(/[\d,]+ req\/s over [\d.]+ s \([\d,]+ responses\).*no errors/);
    await waitUntil(
      "every core halted again",
      coreRows,
      (rows) => rows.length === 2 && rows.every((row) => /: halted/.test(row)),
      10_000,
    );
    await workbench.screenshot("12-stress-done");
    await workbench.page.keyboard.press("Shift+F5");
    await waitForNoQemu();
  });
});

/**
 * The README's screenshots are refreshed when asked (TORO_UPDATE_SCREENSHOTS=1) or missing, so an ordinary
 * test run does not rewrite tracked images; out/e2e/ always has this run's.
 */
const updateReadmeScreenshots =
  process.env.TORO_UPDATE_SCREENSHOTS === "1" ||
  !fs.existsSync(path.join(readmeScreenshots, "cores-view.png")) ||
  !fs.existsSync(path.join(readmeScreenshots, "monitor.png"));

describe.runIf(updateReadmeScreenshots)("screenshots for the README", () => {
  it("copies the Cores view and monitor screenshots", () => {
    fs.mkdirSync(readmeScreenshots, { recursive: true });
    fs.copyFileSync(
      path.join(artifacts, "02-cores-view.png"),
      path.join(readmeScreenshots, "cores-view.png"),
    );
    fs.copyFileSync(path.join(artifacts, "03-monitor.png"), path.join(readmeScreenshots, "monitor.png"));
  });
});
