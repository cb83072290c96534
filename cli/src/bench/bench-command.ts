// bench-command.ts - `toro bench`: measures, side by side in one run, the groups asked for (all by default,
// `--only` picks): QEMU's host CPU with every vCPU idle per idle policy (idle-cost.ts), wake-up latency per
// policy (wakeup-latency.ts), boot time (boot-time.ts), F5 latency against the by-hand floor and the step
// round trip through the adapter (f5-latency.ts), and telemetry rates and their cost to the guest
// (telemetry-rate.ts, guest-throughput.ts), the event trace's cost to the guest (trace-cost.ts) and
// its window's transport to the timeline (trace-window.ts), and HTTP load on samples/http-server with host CPU and
// time-to-idle after it (network-load.ts). Progress goes to stderr, the table (bench-report.ts) to stdout.

import * as os from "node:os";
import * as path from "node:path";
import {
  clockTicksPerSecond,
  DEFAULT_PROFILE,
  effectiveSettings,
  IDLE_POLICIES,
  IdlePolicy,
  listProfiles,
  loadProfile,
  repositoryPaths,
  ToroError,
} from "@toro-studio/debug-adapter";
import { BenchCommand } from "../cli-arguments";
import { buildStep } from "../build-command";
import { BootRow, bootSkipReason, measureBoot } from "./boot-time";
import { BenchResults, formatBenchReport } from "./bench-report";
import { measureF5AndSteps } from "./f5-latency";
import { measureGuestThroughput } from "./guest-throughput";
import { IdleCost, measureIdleCost } from "./idle-cost";
import { findTaggedLine } from "./source-tag";
import { measureTelemetryRate } from "./telemetry-rate";
import { measureWakeupLatency } from "./wakeup-latency";
import { measureTraceCost } from "./trace-cost";
import { measureTraceWindow } from "./trace-window";
import { measureNetworkLoad, NetworkLoadMode, NetworkLoadResult } from "./network-load";

/** The line of samples/compute/main.c where the F5 rows stop. */
export const MAIN_BREAKPOINT_TAG = "toro-bench: main";
/** How long the compute sample computes in the F5 runs (main's breakpoint comes first). */
const F5_COMPUTE_MS = 1000;
/** One slice of the throughput row; each round is three slices (off, RAM file, QMP). */
const THROUGHPUT_SLICE_MS = 400;
/** One slice of guest time in the trace-cost rows; each round is four (off, on, off, control). */
const TRACE_SLICE_MS = 200;
/** Recorded intervals the trace-window row waits for before it measures. */
const TRACE_WINDOW_INTERVALS = 100_000;
/** Measurement window of each telemetry rate row. */
const RATE_WINDOW_SECONDS = 2;
/**
 * The network rows: per round, tickless (the cure) under both loads on 1 and 4 vCPUs side by side, the
 * count that goes first alternating from round to round, so both see the same host (two cores, shared with
 * the load generator and whatever else runs); then once per count, busy (the seed's "before") under
 * keep-alive load, which no ratio uses.
 */
const NETWORK_CPUS = [1, 4];
const NETWORK_TICKLESS_MODES = ["keep-alive", "new-connection"] as const;

export async function benchCommand(command: BenchCommand): Promise<number> {
  const paths = repositoryPaths();
  const profile = loadProfile(command.profile ?? DEFAULT_PROFILE, paths.profiles);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const wants = (group: BenchCommand["groups"][number]) => command.groups.includes(group);
  const build = (sample: string) => buildStep(path.join(paths.samples, sample), paths, log);

  const results: BenchResults = {
    profile: profile.name,
    cpus: profile.cpus,
    accel: profile.accel,
    hostCores: os.availableParallelism(),
    seconds: command.seconds,
    hostCpuResolutionPercent: 100 / clockTicksPerSecond() / command.seconds,
  };

  if (wants("idle")) {
    const idleApp = await build("hello");
    const idleCost: IdleCost[] = [];
    for (const policy of IDLE_POLICIES) {
      log(`idle cost: idle=${policy}, ${command.seconds} s ...`);
      idleCost.push(await measureIdleCost(idleApp, profile, policy, command.seconds));
    }
    // The floor must hold with the event trace on: a halted core writes nothing and arms nothing.
    log(`idle cost: idle=tickless trace=on, ${command.seconds} s ...`);
    idleCost.push(await measureIdleCost(idleApp, profile, "tickless", command.seconds, "trace=on"));
    results.idleCost = idleCost;
  }

  if (wants("wakeup")) {
    const wakeupApp = await build("wakeup-latency");
    const wakeup: NonNullable<BenchResults["wakeup"]> = [];
    for (const policy of IDLE_POLICIES) {
      log(`wake-up latency: idle=${policy} ...`);
      try {
        wakeup.push(await measureWakeupLatency(wakeupApp, profile, policy));
      } catch (error) {
        if (!(error instanceof ToroError)) throw error;
        wakeup.push({ policy, error: error.message.split("\n")[0] });
      }
    }
    results.wakeup = wakeup;
  }

  if (wants("boot")) {
    // Every profile (or only the one named with --profile), each booting the way it says.
    const names = command.profile === undefined ? listProfiles(paths.profiles) : [profile.name];
    const rows: BootRow[] = [];
    let helloImage: Awaited<ReturnType<typeof build>> | undefined;
    for (const name of names) {
      const chosen = loadProfile(name, paths.profiles);
      const row: BootRow = {
        profile: name,
        boot: chosen.boot,
        accel: chosen.accel,
        qemuToReadyMs: [],
        entryToReadyUs: [],
      };
      rows.push(row);
      const skip = bootSkipReason(chosen);
      if (skip !== null) {
        row.skipped = skip;
        log(`boot time: ${name}: skipped (${skip})`);
        continue;
      }
      // One build serves every profile; a UEFI profile's ISO carries its command line, so it builds its own.
      const image =
        chosen.boot === "uefi-iso"
          ? await buildStep(
              path.join(paths.samples, "hello"),
              paths,
              log,
              effectiveSettings(chosen).kernelCommandLine,
            )
          : (helloImage ??= await build("hello"));
      for (let boot = 0; boot < command.boots; boot++) {
        log(`boot time: ${name}, boot ${boot + 1} of ${command.boots} ...`);
        try {
          const measured = await measureBoot(image, chosen);
          row.qemuToReadyMs.push(measured.qemuToReadyMs);
          if (measured.entryToReadyUs !== null) row.entryToReadyUs.push(measured.entryToReadyUs);
        } catch (error) {
          if (!(error instanceof ToroError)) throw error;
          row.skipped = `boot failed: ${error.message.split("\n")[0]}`;
          break;
        }
      }
    }
    results.boot = rows;
  }

  if (wants("f5") || wants("step") || wants("telemetry")) {
    // Built here, so the adapter's own build in the F5 rows is a warm (nothing to do) build.
    const compute = await build("compute");
    const app = path.join(paths.samples, "compute");
    if (wants("f5") || wants("step")) {
      const file = path.join(app, "main.c");
      const { f5, steps } = await measureF5AndSteps(
        {
          build: compute,
          app,
          kernelDirectory: paths.kernel,
          profile,
          file,
          line: findTaggedLine(file, MAIN_BREAKPOINT_TAG),
          cmdline: `ms=${F5_COMPUTE_MS}`,
          adapterPath: path.join(paths.root, "debug-adapter", "dist", "adapter.js"),
        },
        { f5: wants("f5"), steps: wants("step") ? command.steps : 0, runs: command.runs, log },
      );
      if (f5 !== null) results.f5 = f5;
      if (steps !== null) results.steps = steps;
    }
    if (wants("telemetry")) {
      log(`telemetry rates: ${RATE_WINDOW_SECONDS} s per source ...`);
      results.telemetryRate = await measureTelemetryRate(compute, profile, RATE_WINDOW_SECONDS);
      results.throughput = await measureGuestThroughput(
        compute,
        profile,
        command.runs * 2,
        THROUGHPUT_SLICE_MS,
        log,
      );
    }
  }

  if (wants("trace")) {
    const traceLoad = await build("trace-load");
    results.traceCost = await measureTraceCost(traceLoad, profile, command.runs * 2, TRACE_SLICE_MS, log);
    await build("compute"); // warm: the adapter's own build has nothing to do
    results.traceWindow = await measureTraceWindow(
      path.join(paths.root, "debug-adapter", "dist", "adapter.js"),
      path.join(paths.samples, "compute"),
      TRACE_WINDOW_INTERVALS,
      command.runs * 2,
      log,
    );
  }

  if (wants("network")) {
    const server = await build("http-server");
    const rows: NetworkLoadResult[] = [];
    const measure = async (round: number, cpus: number, policy: IdlePolicy, mode: NetworkLoadMode) => {
      log(
        `network: round ${round}, ${cpus} vCPU(s), idle=${policy}, ${command.seconds} s of ${mode} HTTP load + ${command.seconds} s after ...`,
      );
      rows.push(
        await measureNetworkLoad(
          server,
          profile,
          { cpus, policy, mode, round },
          command.seconds,
          command.networkCmdline,
        ),
      );
    };
    for (let round = 1; round <= command.rounds; round++) {
      const order = round % 2 === 1 ? NETWORK_CPUS : [...NETWORK_CPUS].reverse();
      for (const mode of NETWORK_TICKLESS_MODES) {
        for (const cpus of order) await measure(round, cpus, "tickless", mode);
      }
    }
    for (const cpus of NETWORK_CPUS) await measure(1, cpus, "busy", "keep-alive");
    results.network = {
      seconds: command.seconds,
      hostCpuResolutionPercent: results.hostCpuResolutionPercent,
      rows,
    };
  }

  process.stdout.write(`\n${formatBenchReport(results).join("\n")}\n`);
  if (command.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return 0;
}
