// bench-command.ts - `toro bench`: measures, side by side in one run, QEMU's host CPU with every vCPU idle
// under each idle policy (idle-cost.ts), wake-up latency per policy (wakeup-latency.ts) and boot time
// (boot-time.ts), then prints the table (bench-report.ts). Progress goes to stderr, the table to stdout.

import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_PROFILE, loadProfile } from "../../engine/profiles/load-profile";
import { repositoryPaths } from "../../engine/paths";
import { IDLE_POLICIES } from "../../engine/telemetry/layout";
import { ToroError } from "../../engine/errors";
import { clockTicksPerSecond } from "../../engine/host/clock-ticks";
import { BenchCommand } from "../cli-arguments";
import { buildStep } from "../build-step";
import { measureBootTime } from "./boot-time";
import { BenchResults, formatBenchReport } from "./bench-report";
import { IdleCost, measureIdleCost } from "./idle-cost";
import { median } from "./statistics";
import { measureWakeupLatency, WakeupLatency } from "./wakeup-latency";

export async function benchCommand(command: BenchCommand): Promise<number> {
  const paths = repositoryPaths();
  const profile = loadProfile(command.profile ?? DEFAULT_PROFILE, paths.profiles);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const idleApp = await buildStep(path.join(paths.samples, "hello"), paths, log);
  const wakeupApp = await buildStep(path.join(paths.samples, "wakeup-latency"), paths, log);

  const idleCost: IdleCost[] = [];
  for (const policy of IDLE_POLICIES) {
    log(`idle cost: idle=${policy}, ${command.seconds} s ...`);
    idleCost.push(await measureIdleCost(idleApp, profile, policy, command.seconds));
  }
  const wakeup: BenchResults["wakeup"] = [];
  for (const policy of IDLE_POLICIES) {
    log(`wake-up latency: idle=${policy} ...`);
    try {
      const result: WakeupLatency = await measureWakeupLatency(wakeupApp, profile, policy);
      wakeup.push(result);
    } catch (error) {
      if (!(error instanceof ToroError)) throw error;
      wakeup.push({ policy, error: error.message.split("\n")[0] });
    }
  }
  const bootMilliseconds: number[] = [];
  for (let boot = 0; boot < command.boots; boot++) {
    log(`boot time: boot ${boot + 1} of ${command.boots} ...`);
    bootMilliseconds.push(await measureBootTime(idleApp, profile));
  }

  const results: BenchResults = {
    profile: profile.name,
    cpus: profile.cpus,
    accel: profile.accel,
    hostCores: os.availableParallelism(),
    seconds: command.seconds,
    hostCpuResolutionPercent: 100 / clockTicksPerSecond() / command.seconds,
    idleCost,
    wakeup,
    bootMilliseconds,
    bootMedianMilliseconds: median(bootMilliseconds),
  };
  process.stdout.write(`\n${formatBenchReport(results).join("\n")}\n`);
  if (command.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return 0;
}
