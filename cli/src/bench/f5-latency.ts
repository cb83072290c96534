// f5-latency.ts - benchmark rows "F5 latency" and "step round trip": the adapter's `launch` -> `stopped` at
// a breakpoint in the app's main (warm build) against the floor of the same stop by hand (f5-floor.ts),
// measured alternately in one run so both see the same machine load; then `next` -> `stopped` round trips
// in the adapter's last session. Without dist/adapter.js the adapter side reports "adapter not built" and
// the floor is still measured. Pairs with adapter-session.ts and bench-command.ts.

import * as fs from "node:fs";
import { buildApp, BuildOutputs, QemuProfile, ToroError } from "@toro-studio/debug-adapter";
import { measureAdapterSession } from "./adapter-session";
import { FloorMode, measureFloor } from "./f5-floor";
import { median, percentile } from "./statistics";

export interface F5Target {
  build: BuildOutputs;
  app: string;
  kernelDirectory: string;
  profile: QemuProfile;
  file: string;
  line: number;
  /** The app keeps busy for this long after main's breakpoint, so steps never wait on the end of the work. */
  cmdline: string;
  adapterPath: string;
}

export type AdapterStatus =
  { state: "measured" } | { state: "not-built" } | { state: "failed"; error: string };

export interface F5Results {
  breakpoint: string;
  /** How the floor's GDB waited for QEMU (f5-floor.ts); "parallel" unless GDB has no Python. */
  floorMode: FloorMode;
  floorMs: number[];
  adapterMs: number[];
  adapter: AdapterStatus;
  floorMedianMs: number | null;
  adapterMedianMs: number | null;
  /** adapterMedianMs / floorMedianMs. */
  ratio: number | null;
  /** One `make` with nothing to do, timed before the sessions: the part of the adapter's F5 the floor skips. */
  warmBuildMs: number | null;
}

export interface StepResults {
  adapter: AdapterStatus;
  roundTripsMs: number[];
  medianMs: number | null;
  p95Ms: number | null;
}

export const TARGETS = { f5MaximumRatio: 1.3, stepMedianMaximumMs: 100 } as const;

export interface F5Plan {
  /** Measure the F5 rows (`runs` floor/adapter pairs). */
  f5: boolean;
  /** `next` requests to time in the last adapter session; 0 for none. */
  steps: number;
  runs: number;
  log: (line: string) => void;
}

export async function measureF5AndSteps(
  target: F5Target,
  plan: F5Plan,
): Promise<{ f5: F5Results | null; steps: StepResults | null }> {
  const floorMs: number[] = [];
  let floorMode: FloorMode = "parallel";
  const adapterMs: number[] = [];
  let roundTripsMs: number[] = [];
  let adapter: AdapterStatus = fs.existsSync(target.adapterPath)
    ? { state: "measured" }
    : { state: "not-built" };
  const sessions = plan.f5 ? plan.runs : plan.steps > 0 ? 1 : 0;
  let warmBuildMs: number | null = null;
  if (plan.f5) {
    const warm = await buildApp({ appDirectory: target.app, kernelDirectory: target.kernelDirectory });
    warmBuildMs = warm.success ? warm.durationMs : null;
  }
  for (let run = 0; run < sessions; run++) {
    if (plan.f5) {
      plan.log(`F5 floor (QEMU -S + gdb -batch): run ${run + 1} of ${plan.runs} ...`);
      const floor = await measureFloor({
        kernelElf: target.build.kernelElf,
        bootElf: target.build.bootElf,
        profile: target.profile,
        overrides: { cmdline: target.cmdline },
        file: target.file,
        line: target.line,
      });
      floorMs.push(floor.milliseconds);
      floorMode = floor.mode;
    }
    if (adapter.state !== "measured") continue;
    const last = run === sessions - 1;
    plan.log(
      `adapter session (launch -> stopped${last && plan.steps > 0 ? `, ${plan.steps} steps` : ""}) ...`,
    );
    try {
      const session = await measureAdapterSession(
        {
          adapterPath: target.adapterPath,
          app: target.app,
          file: target.file,
          line: target.line,
          cmdline: target.cmdline,
          profile: target.profile.name,
        },
        last ? plan.steps : 0,
      );
      adapterMs.push(session.launchToStoppedMs);
      if (last) roundTripsMs = session.stepRoundTripsMs;
    } catch (error) {
      if (!(error instanceof ToroError)) throw error;
      adapter = { state: "failed", error: error.message.split("\n")[0] };
      plan.log(`adapter session failed: ${error.message}`);
    }
  }

  const floorMedianMs = median(floorMs);
  const adapterMedianMs = median(adapterMs);
  const f5: F5Results | null = plan.f5
    ? {
        breakpoint: `${target.file}:${target.line}`,
        floorMode,
        floorMs,
        adapterMs,
        adapter,
        floorMedianMs,
        adapterMedianMs,
        ratio:
          floorMedianMs === null || adapterMedianMs === null || floorMedianMs <= 0
            ? null
            : adapterMedianMs / floorMedianMs,
        warmBuildMs,
      }
    : null;
  const steps: StepResults | null =
    plan.steps > 0
      ? { adapter, roundTripsMs, medianMs: median(roundTripsMs), p95Ms: percentile(roundTripsMs, 95) }
      : null;
  return { f5, steps };
}
