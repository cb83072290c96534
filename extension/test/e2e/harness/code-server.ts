// code-server.ts - a real VS Code for the end-to-end tests and the benchmark: code-server 4.100.3 (installed
// by scripts/install-code-server.mjs) on 127.0.0.1 at a free port, no auth, with the .vsix installed into
// private user-data and extensions folders inside one 0700 temp folder, which stop() removes. The server and
// everything it starts (extension host, debug adapter) run with TMPDIR inside that folder, so QEMU's private
// folders land there too and `qemuProcesses()` can tell this server's QEMUs from anyone else's.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import {
  codeServerExecutable,
  installedMarker,
  serveArguments,
} from "../../../scripts/code-server-location.mjs";

export interface CodeServer {
  url: string;
  /** The private temp folder holding user data, extensions, TMPDIR and the browser profile. */
  root: string;
  /** code-server's stdout and stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  vsix: string;
  /** VS Code user settings added to the test defaults. */
  settings?: Record<string, unknown>;
}

/** Settings that keep a fresh profile from showing welcome pages, tips and trust prompts over the UI under test. */
const TEST_SETTINGS = {
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.commandCenter.enabled": false,
  "workbench.colorTheme": "Default Dark Modern",
  "editor.minimap.enabled": false,
  "files.simpleDialog.enable": true,
  "window.restoreWindows": "none",
  "debug.toolBarLocation": "docked",
  "git.enabled": false,
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

function codeServerArguments(root: string): string[] {
  return [
    codeServerExecutable(),
    "--config",
    path.join(root, "config.yaml"),
    "--user-data-dir",
    path.join(root, "user-data"),
    "--extensions-dir",
    path.join(root, "extensions"),
  ];
}

export function installVsix(root: string, vsix: string): void {
  const result = spawnSync(
    process.execPath,
    [...codeServerArguments(root), "--install-extension", vsix, "--force"],
    {
      encoding: "utf8",
      env: { ...process.env, TMPDIR: path.join(root, "tmp") },
    },
  );
  if (result.status !== 0 || !/successfully installed/i.test(result.stdout + result.stderr)) {
    throw new Error(`installing ${vsix} into code-server failed:\n${result.stdout}\n${result.stderr}`);
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(installedMarker()))
    throw new Error("code-server is not installed: run node extension/scripts/install-code-server.mjs");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "toro-e2e-"));
  fs.chmodSync(root, 0o700);
  fs.mkdirSync(path.join(root, "tmp"));
  fs.mkdirSync(path.join(root, "user-data", "User"), { recursive: true });
  fs.writeFileSync(
    path.join(root, "user-data", "User", "settings.json"),
    JSON.stringify({ ...TEST_SETTINGS, ...options.settings }, null, 2),
  );
  installVsix(root, options.vsix);

  const port = await freePort();
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [...codeServerArguments(root), ...serveArguments(port)],
    {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TMPDIR: path.join(root, "tmp") },
    },
  );
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + 30_000;
  while (!output.includes("HTTP server listening")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopProcessGroup(child, exited);
      fs.rmSync(root, { recursive: true, force: true });
      throw new Error(`code-server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url: `http://127.0.0.1:${port}`,
    root,
    log: () => output,
    stop: async () => {
      await stopProcessGroup(child, exited);
      await endStragglers(root);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

async function stopProcessGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // The group is already gone.
    }
  };
  signal("SIGTERM");
  const stopped = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
  ]);
  if (!stopped) signal("SIGKILL");
  await exited;
}

/** Processes whose command line mentions `root` (this server's files and TMPDIR live there). */
export function processesMentioning(root: string): Array<{ pid: number; program: string }> {
  const found: Array<{ pid: number; program: string }> = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let commandLine: string;
    try {
      commandLine = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (commandLine.includes(root))
      found.push({ pid: Number(entry), program: commandLine.split("\0")[0] ?? "" });
  }
  return found;
}

/** QEMU processes whose command line mentions `root` (their private folder lies under this server's TMPDIR). */
export function qemuProcesses(root: string): number[] {
  return processesMentioning(root)
    .filter((process) => path.basename(process.program).startsWith("qemu-system"))
    .map((process) => process.pid);
}

/** Spare debug adapters (`adapter.js --spare <socket under root>`, extension/src/debug/spare-adapter.ts). */
export function spareAdapterProcesses(root: string): number[] {
  return processesMentioning(root)
    .filter((process) => {
      try {
        return fs.readFileSync(`/proc/${process.pid}/cmdline`, "utf8").split("\0").includes("--spare");
      } catch {
        return false;
      }
    })
    .map((process) => process.pid);
}

/** The children of `parent` named `name` (e.g. a spare adapter's "gdb"), from /proc/<pid>/stat. */
export function childProcesses(parent: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      if (comm === name && Number(stat.slice(close + 2).split(" ")[1]) === parent) found.push(Number(entry));
    } catch {
      // gone while reading
    }
  }
  return found;
}

/**
 * Ends what outlived the process group: code-server's pty host runs in its own session and would linger for
 * its reconnection grace period. SIGTERM, then SIGKILL after 5 s.
 */
async function endStragglers(root: string): Promise<void> {
  const signalAll = (name: NodeJS.Signals) => {
    for (const straggler of processesMentioning(root)) {
      try {
        process.kill(straggler.pid, name);
      } catch {
        // Already gone.
      }
    }
  };
  signalAll("SIGTERM");
  const deadline = Date.now() + 5000;
  while (processesMentioning(root).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signalAll("SIGKILL");
}
