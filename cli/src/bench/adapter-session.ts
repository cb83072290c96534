// adapter-session.ts - one debug session through the real adapter (node dist/adapter.js over stdio, via
// dap-client.ts), driven as VS Code does on F5: initialize, launch, and on `initialized` a source breakpoint
// and configurationDone. Measures `launch` request -> `stopped` at the breakpoint, then optionally the
// round trip of `next` -> `stopped` a number of times. Ends with disconnect (terminateDebuggee) and makes
// sure no adapter, QEMU or GDB process and no temporary file outlives it. Pairs with f5-latency.ts.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { DapClient, DapError, Received } from "./dap-client";
import { descendantsOf, killSurvivors, ProcessIdentity } from "./process-tree";

const LAUNCH_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 30_000;
const DISCONNECT_TIMEOUT_MS = 10_000;

export interface AdapterTarget {
  adapterPath: string;
  /** The app folder (launch argument `app`); built warm beforehand. */
  app: string;
  /** Breakpoint: a source file of the app and a line in it. */
  file: string;
  line: number;
  /** More kernel command line (launch argument `cmdline`). */
  cmdline?: string;
  profile?: string;
}

export interface AdapterMeasurement {
  /** `launch` request sent -> `stopped` (reason breakpoint) received. */
  launchToStoppedMs: number;
  /** One per `next`: request sent -> `stopped` received. */
  stepRoundTripsMs: number[];
}

export interface SessionOptions {
  /** How long disconnect may take before the adapter is killed; default 10 s. */
  disconnectTimeoutMs?: number;
}

export async function measureAdapterSession(
  target: AdapterTarget,
  steps: number,
  options: SessionOptions = {},
): Promise<AdapterMeasurement> {
  const adapter = openAdapter(target.adapterPath, options);
  const { client, remember } = adapter;
  try {
    const capabilities = await initialize(client);

    const launchSentMs = performance.now();
    const launch = client.request(
      "launch",
      { app: target.app, cmdline: target.cmdline, profile: target.profile, build: true, stopOnEntry: false },
      LAUNCH_TIMEOUT_MS,
    );
    // Adapters send `initialized` after initialize or once launch has started the target; a launch that
    // fails first ends the wait with its message.
    const initialized = client.waitForEvent("initialized", 0, LAUNCH_TIMEOUT_MS);
    await Promise.race([initialized, launchFailure(launch).then(() => initialized)]);
    await client.requestOk("setBreakpoints", {
      source: { path: target.file },
      breakpoints: [{ line: target.line }],
    });
    if (capabilities.supportsConfigurationDoneRequest === true) await client.requestOk("configurationDone");
    await launchFailure(launch);
    const stopped = await client.waitForEvent("stopped", launchSentMs, LAUNCH_TIMEOUT_MS);
    remember();
    expectReason(stopped, "breakpoint", "launch");

    const threadId = Number(stopped.message.body?.threadId ?? 1);
    const stepRoundTripsMs: number[] = [];
    for (let step = 0; step < steps; step++) {
      const sentMs = performance.now();
      await client.requestOk("next", { threadId }, STEP_TIMEOUT_MS);
      const stepStopped = await client.waitForEvent("stopped", sentMs, STEP_TIMEOUT_MS);
      expectReason(stepStopped, "step", "next");
      stepRoundTripsMs.push(stepStopped.receivedAtMs - sentMs);
      // Not timed: stop stepping once `next` has left the function it started in (e.g. main returned).
      if (!(await stillIn(client, threadId, "main"))) break;
    }
    return { launchToStoppedMs: stopped.receivedAtMs - launchSentMs, stepRoundTripsMs };
  } finally {
    await adapter.close();
  }
}

export interface OpenAdapter {
  client: DapClient;
  /** Notes the adapter's processes now (QEMU, GDB), so close() can kill any that outlive it. */
  remember(): void;
  /** disconnect (terminateDebuggee), then kill what is left and remove the temporary folder. */
  close(): Promise<void>;
}

/** Starts `node <adapterPath>` with its own TMPDIR; close() leaves no process and no file behind. */
export function openAdapter(adapterPath: string, options: SessionOptions = {}): OpenAdapter {
  const disconnectTimeoutMs = options.disconnectTimeoutMs ?? DISCONNECT_TIMEOUT_MS;
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), "toro-bench-adapter-"));
  const client = DapClient.start(adapterPath, { env: { ...process.env, TMPDIR: temporary } });
  const started: ProcessIdentity[] = [];
  const remember = () => {
    if (client.pid !== undefined && !client.hasExited) started.push(...descendantsOf(client.pid));
  };
  return {
    client,
    remember,
    close: async () => {
      remember();
      await client
        .request("disconnect", { terminateDebuggee: true }, disconnectTimeoutMs)
        .catch(() => undefined);
      await Promise.race([client.exited, new Promise((resolve) => setTimeout(resolve, disconnectTimeoutMs))]);
      await client.kill();
      killSurvivors(started);
      fs.rmSync(temporary, { recursive: true, force: true });
    },
  };
}

/** The `initialize` request as VS Code sends it; resolves with the adapter's capabilities. */
export async function initialize(client: DapClient): Promise<Record<string, unknown>> {
  const response = await client.requestOk("initialize", {
    clientID: "toro-bench",
    clientName: "toro bench",
    adapterID: "toro",
    pathFormat: "path",
    linesStartAt1: true,
    columnsStartAt1: true,
    supportsRunInTerminalRequest: false,
  });
  return response.message.body ?? {};
}

/** Rejects if the launch request fails; otherwise resolves when it is answered. */
async function launchFailure(launch: Promise<Received>): Promise<void> {
  const response = await launch;
  if (response.message.success !== true) {
    throw new DapError(`launch failed: ${response.message.message ?? "no message"}`);
  }
}

function expectReason(stopped: Received, reason: string, after: string): void {
  const actual = stopped.message.body?.reason;
  if (actual !== reason) {
    const text = stopped.message.body?.text ?? stopped.message.body?.description ?? "";
    throw new DapError(
      `after ${after} the adapter stopped with reason "${String(actual)}" ${String(text)}`.trim(),
    );
  }
}

async function stillIn(client: DapClient, threadId: number, functionName: string): Promise<boolean> {
  const trace = await client.requestOk("stackTrace", { threadId, startFrame: 0, levels: 1 });
  const frames = (trace.message.body?.stackFrames ?? []) as { name?: string }[];
  return frames[0]?.name?.startsWith(functionName) === true;
}
