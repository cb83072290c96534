// trace-window.ts - benchmark row "trace: window transport": what one toroTraceWindow costs when the
// recorded window holds 10^5+ intervals, through the real adapter (dist/adapter.js over stdio, dap-client.ts)
// as the timeline asks for it. samples/compute with `trace=on yield=64` (Run Without Debugging) fills the
// window; then, in rounds whose order alternates, the whole window with every interval (what the timeline
// asked for before: the old transport) and the same window limited to a 1,500-pixel plot (sub-pixel
// intervals merged in the adapter, protocol/trace-lane-layout.ts): round trip from request to response as
// the client sees it, and the body's JSON size. Pairs with bench-command.ts; the report is
// formatTraceWindow below.

import { performance } from "node:perf_hooks";
import { DapClient, DapError } from "./dap-client";
import { initialize, openAdapter } from "./adapter-session";
import { decimal, formatTable } from "../text-table";
import { median } from "./statistics";

export const TRACE_WINDOW_WIDTH_PX = 1500;
const LAUNCH_TIMEOUT_MS = 120_000;
const FILL_TIMEOUT_MS = 240_000;
const REQUEST_TIMEOUT_MS = 120_000;

export type TraceWindowMode = "every interval" | "view";

export interface TraceWindowSample {
  mode: TraceWindowMode;
  milliseconds: number;
  bytes: number;
  /** Intervals in the body (merged ones once each) and the recorded intervals they stand for. */
  sent: number;
  recorded: number;
}

export interface TraceWindowResults {
  widthPx: number;
  samples: TraceWindowSample[];
}

interface WindowLane {
  start: number[];
  merged?: number[];
}

async function request(client: DapClient, mode: TraceWindowMode): Promise<TraceWindowSample> {
  const args = mode === "view" ? { widthPx: TRACE_WINDOW_WIDTH_PX } : {};
  const sentMs = performance.now();
  const response = await client.requestOk("toroTraceWindow", args, REQUEST_TIMEOUT_MS);
  const milliseconds = response.receivedAtMs - sentMs;
  const body = response.message.body as { lanes: WindowLane[] };
  let sent = 0;
  let recorded = 0;
  for (const lane of body.lanes) {
    sent += lane.start.length;
    recorded += lane.merged?.reduce((sum, count) => sum + count, 0) ?? lane.start.length;
  }
  return { mode, milliseconds, bytes: Buffer.byteLength(JSON.stringify(body)), sent, recorded };
}

export async function measureTraceWindow(
  adapterPath: string,
  app: string,
  minimumIntervals: number,
  rounds: number,
  log: (line: string) => void,
): Promise<TraceWindowResults> {
  const adapter = openAdapter(adapterPath);
  const { client } = adapter;
  try {
    const capabilities = await initialize(client);
    const launch = client.request(
      "launch",
      { app, cmdline: "trace=on ms=600000 yield=64", cpus: 4, telemetryHz: 50, build: true, noDebug: true },
      LAUNCH_TIMEOUT_MS,
    );
    await client.waitForEvent("initialized", 0, LAUNCH_TIMEOUT_MS);
    if (capabilities.supportsConfigurationDoneRequest === true) await client.requestOk("configurationDone");
    const launched = await launch;
    if (launched.message.success !== true)
      throw new DapError(`launch failed: ${launched.message.message ?? "no message"}`);
    adapter.remember();
    log(
      `trace window: filling the recorded window to ${minimumIntervals.toLocaleString("en")} intervals ...`,
    );
    const deadline = performance.now() + FILL_TIMEOUT_MS;
    for (;;) {
      const probe = await request(client, "view");
      if (probe.recorded >= minimumIntervals) break;
      if (performance.now() > deadline)
        throw new DapError(
          `the trace window held only ${probe.recorded} intervals after ${FILL_TIMEOUT_MS} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    log(
      `trace window: ${rounds} rounds of every interval / ${TRACE_WINDOW_WIDTH_PX} px view, order alternating ...`,
    );
    const samples: TraceWindowSample[] = [];
    for (let round = 0; round < rounds; round++) {
      const order: TraceWindowMode[] =
        round % 2 === 0 ? ["every interval", "view"] : ["view", "every interval"];
      for (const mode of order) samples.push(await request(client, mode));
    }
    return { widthPx: TRACE_WINDOW_WIDTH_PX, samples };
  } finally {
    await adapter.close();
  }
}

export function formatTraceWindow(results: TraceWindowResults): string[] {
  const modes: TraceWindowMode[] = ["every interval", "view"];
  const medianOf = (mode: TraceWindowMode, pick: (sample: TraceWindowSample) => number) =>
    median(results.samples.filter((sample) => sample.mode === mode).map(pick));
  const fullMs = medianOf("every interval", (sample) => sample.milliseconds);
  return [
    `Trace window transport: toroTraceWindow through dist/adapter.js, samples/compute trace=on yield=64 on ` +
      `4 vCPUs (running), the whole window with every interval vs limited to a ${results.widthPx} px plot ` +
      `(sub-pixel intervals merged in the adapter), rounds alternating; request to response as the client sees it`,
    ...formatTable(
      ["request", "recorded intervals", "sent", "JSON", "ms (median)", "ms (max)", "vs every interval"],
      modes.map((mode) => {
        const samples = results.samples.filter((sample) => sample.mode === mode);
        const ms = medianOf(mode, (sample) => sample.milliseconds);
        return [
          mode === "view" ? `view (${results.widthPx} px)` : mode,
          decimal(
            medianOf(mode, (sample) => sample.recorded),
            0,
          ),
          decimal(
            medianOf(mode, (sample) => sample.sent),
            0,
          ),
          `${decimal((medianOf(mode, (sample) => sample.bytes) ?? 0) / 1e6, 2)} MB`,
          decimal(ms, 0),
          samples.length ? decimal(Math.max(...samples.map((sample) => sample.milliseconds)), 0) : "-",
          mode === "every interval" || ms === null || fullMs === null || ms === 0
            ? ""
            : `${decimal(fullMs / ms, 1)}x faster`,
        ];
      }),
      ["left", "right", "right", "right", "right", "right", "right"],
    ),
  ];
}
