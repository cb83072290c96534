// run-command.ts - `toro run <app>`: build, boot in QEMU, stream the serial output, subscribe to the run's
// telemetry stream (../engine/telemetry/telemetry-poller.ts at 4 Hz: snapshot, rates over ~1 s and QEMU's
// host CPU; redrawing the --monitor table), and end cleanly on --duration, Ctrl-C, guest exit, panic or
// triple fault: final poll, QEMU stopped and reaped, its directory removed, then the --json summary
// (run-summary.ts). With --trace the same polls (at 20 Hz) drain the kernel's event trace
// (../engine/trace/trace-recorder.ts), written as a Chrome JSON trace at the end. Returns the exit code.

import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import {
  bootFileFor,
  DEFAULT_PROFILE,
  describeForwarding,
  effectiveSettings,
  GuestRun,
  loadProfile,
  QemuExit,
  repositoryPaths,
  type TelemetryPoll,
  type TelemetrySample,
  TraceRecorder,
  validateOverrides,
} from "@toro-studio/debug-adapter";
import { resolveApp } from "./app-resolution";
import { buildStep } from "./build-command";
import { RunCommand, UsageError } from "./cli-arguments";
import { renderMonitor } from "./monitor-view";
import { RunEnd, runSummary } from "./run-summary";
import { TerminalMonitor } from "./terminal-monitor";

const SAMPLE_HZ = 4;
/** With --trace the rings are drained at each poll: 20 Hz keeps a 2048-event ring from overrunning below
 * ~40,000 events/s per core. */
const TRACE_SAMPLE_HZ = 20;
const SERIAL_TAIL_LINES = 12;
/** Halts/s and shares in the monitor are measured over about this long, so they do not jitter. */
const RATE_WINDOW_MS = 1000;
/** After a panic is seen, let the register dump reach the console before stopping. */
const PANIC_GRACE_MS = 1000;
const PANIC_LINE = /^PANIC on cpu \d+/;

export async function runCommand(command: RunCommand): Promise<number> {
  const paths = repositoryPaths();
  const app = resolveApp(command.app, paths);
  const profile = loadProfile(command.profile ?? DEFAULT_PROFILE, paths.profiles);
  const overrides = validateOverrides(
    {
      cpus: command.cpus,
      idlePolicy: command.idlePolicy,
      cmdline: command.cmdline,
      network: command.network
        ? { enabled: true, hostPort: command.hostPort, guestPort: command.guestPort }
        : undefined,
    },
    "toro run options",
  );
  const tracePath = command.tracePath === undefined ? undefined : checkTracePath(command.tracePath);
  if (tracePath !== undefined) overrides.cmdline = withTraceOn(overrides.cmdline);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const isoCommandLine =
    profile.boot === "uefi-iso" ? effectiveSettings(profile, overrides).kernelCommandLine : undefined;
  const build = await buildStep(app, paths, log, isoCommandLine);

  const run = await GuestRun.start({
    kernelPath: bootFileFor(build, profile.boot),
    kernelElfPath: build.kernelElf,
    profile,
    overrides,
    activityWindowMs: RATE_WINDOW_MS,
  });
  const recorder =
    tracePath === undefined ? undefined : TraceRecorder.open(build.kernelElf, run.qemu.ramPath);
  const settings = run.qemu.settings;
  log(
    `booting with profile ${profile.name}: ${settings.cpus} vCPUs, ${settings.memoryMiB} MiB, ${settings.accel}, ` +
      `command line "${settings.kernelCommandLine}"`,
  );
  const network = run.qemu.network;
  if (network !== null) log(describeForwarding(network));

  const monitor = command.monitor ? new TerminalMonitor() : undefined;
  const serialOut = command.json ? process.stderr : process.stdout;
  const serialTail: string[] = [];
  const poller = run.poller!;
  let first: TelemetrySample | null = null;
  let last: TelemetrySample | null = null;
  /** The newest readable poll: its rates cover about RATE_WINDOW_MS (the poller's activity window). */
  let lastPoll: TelemetryPoll | null = null;
  let telemetryProblem: string | null = null;
  let bootMilliseconds: number | null = null;
  let hostCpuPercent: number | null = null;

  let finish!: (end: RunEnd) => void;
  const ended = new Promise<RunEnd>((resolve) => (finish = resolve));
  let panicTimer: NodeJS.Timeout | undefined;
  const panicSeen = () => (panicTimer ??= setTimeout(() => finish("panic"), PANIC_GRACE_MS));

  run.qemu.serial.onLine((line) => {
    if (monitor === undefined) serialOut.write(`${line.text}\n`);
    serialTail.push(line.text);
    if (serialTail.length > SERIAL_TAIL_LINES) serialTail.shift();
    if (PANIC_LINE.test(line.message)) panicSeen();
  });
  run.qemu.qmp.onEvent((event) => {
    if (event.event === "SHUTDOWN" && event.data?.reason === "guest-reset") finish("triple-fault");
  });
  void run.qemu.exited.then((exit: QemuExit) =>
    finish(exit.guestExitCode === null ? "qemu-exited" : "guest-exit"),
  );
  run
    .waitForReady()
    .then(async (line) => {
      bootMilliseconds = line.receivedAtMs - run.qemu.startedAtMs;
      const poll = await poller.pollNow();
      if (poll.sample !== null) first = poll.sample;
    })
    .catch(() => undefined); // no ready line: the exit (or the user) ends the run
  const durationTimer =
    command.durationSeconds === undefined
      ? undefined
      : setTimeout(
          () => finish("duration"),
          command.durationSeconds * 1000 - (performance.now() - run.qemu.startedAtMs),
        );
  const onSignal = () => finish("interrupted");
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, onSignal);

  /** Every poll, ticks and pollNow alike: the newest sample, the telemetry problem, a panic in the block. */
  poller.onPoll((poll) => {
    hostCpuPercent = poll.hostCpuPercent ?? hostCpuPercent;
    if (poll.sample === null) {
      telemetryProblem = poll.unreadable;
      return;
    }
    telemetryProblem = null;
    last = poll.sample;
    lastPoll = poll;
    recorder?.observe(poll.sample.snapshot);
    if (poll.sample.snapshot.global.panic !== null) panicSeen();
  });

  function draw(final: boolean): void {
    if (monitor === undefined) return;
    const activity = lastPoll?.activity ?? null;
    const lines = renderMonitor({
      title:
        `toro run ${command.app}   profile ${profile.name}   ` +
        `${((performance.now() - run.qemu.startedAtMs) / 1000).toFixed(1)} s` +
        (network === null ? "" : `   ${network.url}`),
      activity,
      snapshot: last?.snapshot ?? null,
      unreadable: telemetryProblem,
      hostCpuPercent,
      serialTail,
    });
    monitor.draw(lines, performance.now(), final);
  }

  poller.onPoll(() => draw(false), "ticks");
  poller.setRate(recorder === undefined ? SAMPLE_HZ : TRACE_SAMPLE_HZ);
  poller.start();

  const end = await ended;
  poller.stop();
  clearTimeout(durationTimer);
  clearTimeout(panicTimer);
  for (const signal of signals) process.off(signal, onSignal);

  await poller.pollNow(); // the RAM file stays readable through our descriptor even if QEMU already exited
  const overallHostCpu = poller.hostCpuOverall();
  const durationSeconds = (performance.now() - run.qemu.startedAtMs) / 1000;
  const exit = await run.stop();
  draw(true);
  const traceSummary = recorder?.summary();
  if (recorder !== undefined && tracePath !== undefined) {
    recorder.writeChromeTrace(tracePath);
    recorder.close();
    const overruns = traceSummary!.cores.reduce((sum, core) => sum + core.overruns, 0);
    log(
      `toro: trace written to ${tracePath} (${traceSummary!.cores.reduce((sum, core) => sum + core.inWindow, 0)} events, ` +
        `${overruns} overrun${overruns === 1 ? "" : "s"}${traceSummary!.problem === null ? "" : `; ${traceSummary!.problem}`}); open it in ui.perfetto.dev`,
    );
  }

  const summary = runSummary({
    app,
    profile: profile.name,
    settings,
    end,
    exit: end === "guest-exit" || end === "qemu-exited" ? exit : null,
    durationSeconds,
    bootMilliseconds,
    qemuHostCpuPercent: overallHostCpu,
    first,
    last,
    telemetryProblem,
  });
  if (command.json) {
    if (traceSummary !== undefined) Object.assign(summary, { trace: traceSummary });
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const panic =
      summary.panic === null ? "" : `; PANIC on core ${summary.panic.core}: ${summary.panic.message}`;
    log(
      `toro: run ended (${describeEnd(end, summary.guestExitCode)}) after ${durationSeconds.toFixed(1)} s; ` +
        `QEMU host CPU ${overallHostCpu === null ? "-" : overallHostCpu.toFixed(1)}% of one core${panic}`,
    );
  }
  return exitCodeFor(end, summary.guestExitCode);
}

/** The --trace file's absolute path; its folder must exist (a one-line error before anything boots). */
function checkTracePath(file: string): string {
  const absolute = path.resolve(file);
  const folder = path.dirname(absolute);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new UsageError(
      `--trace ${file}: the folder ${folder} does not exist (expected a file path in an existing folder)`,
    );
  }
  if (fs.existsSync(absolute) && fs.statSync(absolute).isDirectory()) {
    throw new UsageError(`--trace ${file} is a folder, expected a file path for the JSON trace`);
  }
  return absolute;
}

/** The kernel command line with trace=on, unless it already chooses trace= itself. */
export function withTraceOn(cmdline: string | undefined): string {
  if (cmdline !== undefined && /(^|\s)trace=/.test(cmdline)) return cmdline;
  return cmdline === undefined || cmdline.trim() === "" ? "trace=on" : `${cmdline} trace=on`;
}

function describeEnd(end: RunEnd, guestExitCode: number | null): string {
  switch (end) {
    case "guest-exit":
      return `guest exited with code ${guestExitCode}`;
    case "triple-fault":
      return "triple fault: the VM was paused, then stopped";
    default:
      return end;
  }
}

export function exitCodeFor(end: RunEnd, guestExitCode: number | null): number {
  if (end === "duration" || end === "interrupted") return 0;
  if (end === "guest-exit") return guestExitCode === 0 ? 0 : 1;
  return 1;
}
