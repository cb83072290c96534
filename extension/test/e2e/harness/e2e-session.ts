// e2e-session.ts - one code-server + Chromium session per end-to-end test file: the packaged .vsix installed
// into a fresh code-server, an empty workspace folder, and a Workbench on it; a failed test leaves a screenshot
// and says what the workbench showed (the CI log keeps only the text); at the end the browser and server stop
// and nothing they started (extension host, adapter, spare adapters and their GDBs, QEMU) and none of their
// files are left.

import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { launchBrowser, type Browser } from "./browser";
import {
  childProcesses,
  processesMentioning,
  spareAdapterProcesses,
  startCodeServer,
  type CodeServer,
} from "./code-server";
import { Workbench } from "./workbench";

export const extensionRoot = path.resolve(__dirname, "..", "..", "..");
export const repositoryRoot = path.resolve(extensionRoot, "..");

/** Whether `pid` still exists (a zombie counts: not reaped yet). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Filled in by the suite's beforeAll: read the fields inside tests and hooks, not at module level. */
export interface E2eSession {
  server: CodeServer;
  workbench: Workbench;
  /** An empty folder inside the server's private root for the test's projects. */
  workspace: string;
  /** Where screenshots and the code-server log go: extension/out/<folder>. */
  artifacts: string;
}

/** Registers the suite's hooks (call at the top level of a test file) and returns the session they fill. */
export function useE2eSession(artifactsFolder: string): E2eSession {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, "package.json"), "utf8"));
  const vsix = path.join(extensionRoot, `${manifest.name}-${manifest.version}.vsix`);
  const session = { artifacts: path.join(extensionRoot, "out", artifactsFolder) } as E2eSession;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package -w extension`);
    fs.rmSync(session.artifacts, { recursive: true, force: true });
    session.server = await startCodeServer({ vsix });
    session.workspace = path.join(session.server.root, "workspace");
    fs.mkdirSync(session.workspace);
    browser = await launchBrowser(session.server.root);
    session.workbench = new Workbench(browser.page, session.server.url, session.artifacts);
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== "fail" || session.workbench === undefined) return;
    const name = `failed-${context.task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}`;
    const workbench = session.workbench;
    const file = await workbench
      .screenshot(name)
      .catch((error: Error) => `(no screenshot: ${error.message})`);
    const state = await workbench.describeState().catch((error: Error) => `(no state: ${error.message})`);
    console.error(`e2e failure "${context.task.name}": screenshot ${file}\n${state}`);
  });

  afterAll(async () => {
    await browser?.close();
    const server = session.server;
    if (server !== undefined) {
      fs.mkdirSync(session.artifacts, { recursive: true });
      fs.writeFileSync(path.join(session.artifacts, "code-server.log"), server.log());
      // Spare adapters and their GDBs (which do not mention the root), to check after the stop: the
      // extension host's end must take them with it.
      const spares = spareAdapterProcesses(server.root);
      const spareGdbs = spares.flatMap((pid) => childProcesses(pid, "gdb"));
      await server.stop();
      expect(processesMentioning(server.root)).toEqual([]);
      // An orphaned GDB is reaped by PID 1, a moment after its adapter ends it.
      const deadline = Date.now() + 10_000;
      while ([...spares, ...spareGdbs].some(isRunning) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect([...spares, ...spareGdbs].filter(isRunning), "spare adapters or GDBs left behind").toEqual([]);
      expect(fs.existsSync(server.root)).toBe(false);
    }
  });
  return session;
}
