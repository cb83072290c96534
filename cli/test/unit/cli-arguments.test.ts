// cli-arguments.test.ts - the `toro` command line parser: commands, options in both spellings, defaults,
// and a clear UsageError for each kind of mistake (every command, every option kind).

import { describe, expect, it } from "vitest";
import { parseCommandLine, UsageError } from "../../src/cli-arguments";
import { withTraceOn } from "../../src/run-command";

describe("parseCommandLine", () => {
  it("parses run with every option, in --key value and --key=value forms", () => {
    expect(
      parseCommandLine([
        "run",
        "samples/idle-demo",
        "--cpus",
        "2",
        "--idle=halt",
        "--profile",
        "smp1",
        "--cmdline",
        "rounds=1 exit",
        "--monitor",
        "--duration=2.5",
        "--json",
      ]),
    ).toEqual({
      kind: "run",
      app: "samples/idle-demo",
      cpus: 2,
      idlePolicy: "halt",
      profile: "smp1",
      cmdline: "rounds=1 exit",
      monitor: true,
      durationSeconds: 2.5,
      json: true,
      network: false,
    });
    expect(parseCommandLine(["run", "samples/hello"])).toMatchObject({
      monitor: false,
      json: false,
      cpus: undefined,
    });
  });

  it("parses --trace FILE, and --trace adds trace=on unless the command line chooses trace= itself", () => {
    expect(parseCommandLine(["run", "samples/hello", "--trace", "out.json"])).toMatchObject({
      kind: "run",
      tracePath: "out.json",
    });
    expect(parseCommandLine(["run", "samples/hello"])).toMatchObject({ tracePath: undefined });
    expect(withTraceOn(undefined)).toBe("trace=on");
    expect(withTraceOn("samples=10 exit")).toBe("samples=10 exit trace=on");
    expect(withTraceOn("exit trace=sched,halt")).toBe("exit trace=sched,halt");
  });

  it("parses exporter with every option; --qmp may be repeated", () => {
    expect(
      parseCommandLine([
        "exporter",
        "--port=9100",
        "--listen",
        "::1",
        "--qmp",
        "/run/a.sock",
        "--qmp=/run/b.sock",
        "--runs-dir",
        "/tmp/runs",
        "--once",
        "--openmetrics",
      ]),
    ).toEqual({
      kind: "exporter",
      port: 9100,
      listen: "::1",
      qmpSockets: ["/run/a.sock", "/run/b.sock"],
      runsDirectory: "/tmp/runs",
      once: true,
      openMetrics: true,
    });
    expect(parseCommandLine(["exporter"])).toEqual({
      kind: "exporter",
      port: undefined,
      listen: undefined,
      qmpSockets: [],
      runsDirectory: undefined,
      once: false,
      openMetrics: false,
    });
  });

  it("parses build, new, bench with defaults, and help", () => {
    expect(parseCommandLine(["build", "samples/hello"])).toEqual({ kind: "build", app: "samples/hello" });
    expect(parseCommandLine(["new", "hello", "../my app"])).toEqual({
      kind: "new",
      sample: "hello",
      directory: "../my app",
    });
    expect(parseCommandLine(["bench"])).toEqual({
      kind: "bench",
      profile: undefined,
      seconds: 5,
      boots: 5,
      runs: 5,
      steps: 10,
      rounds: 3,
      groups: ["idle", "wakeup", "boot", "f5", "step", "telemetry", "trace", "network"],
      json: false,
    });
    expect(
      parseCommandLine([
        "bench",
        "--seconds",
        "2",
        "--boots=3",
        "--runs",
        "1",
        "--steps=20",
        "--rounds",
        "2",
        "--network-cmdline",
        "steer=spread",
      ]),
    ).toMatchObject({
      seconds: 2,
      boots: 3,
      runs: 1,
      steps: 20,
      rounds: 2,
      networkCmdline: "steer=spread",
    });
    // --only keeps the run order whatever order it is written in.
    expect(parseCommandLine(["bench", "--only", "telemetry, f5"])).toMatchObject({
      groups: ["f5", "telemetry"],
    });
    expect(parseCommandLine([])).toEqual({ kind: "help" });
    expect(parseCommandLine(["run", "--help"])).toEqual({ kind: "help" });
  });

  it.each([
    [
      ["frobnicate"],
      /unknown command "frobnicate"; expected run, build, new, bench, stress, exporter or help/,
    ],
    [["run"], /toro run needs the app folder, e.g. toro run samples\/hello/],
    [["run", "a", "b"], /takes one app folder, got 2: a b/],
    [["run", "a", "--cpus"], /--cpus needs a value/],
    [["run", "a", "--cpus", "--json"], /--cpus needs a value/],
    [["run", "a", "--cpus", "two"], /--cpus must be a number, got "two"/],
    [["run", "a", "--cpus", "1.5"], /--cpus must be a whole number/],
    [["run", "a", "--duration", "0"], /--duration must be greater than 0/],
    [["run", "a", "--idle", "sleepy"], /--idle must be one of busy, pause, halt, tickless, got "sleepy"/],
    [["run", "a", "--colour"], /unknown option "--colour" for toro run; expected --cpus, --idle/],
    [["run", "a", "-m"], /unknown option "-m"/],
    [["run", "a", "--json=yes"], /--json takes no value/],
    [["run", "a", "--cpus", "2", "--cpus=3"], /--cpus is given more than once/],
    [["run", "a", "--duration", "-1"], /--duration must be greater than 0, got "-1"/],
    [["run", "a", "--duration", "soon"], /--duration must be a number, got "soon"/],
    [["run", "a", "--duration="], /--duration must be a number, got ""/],
    [["run", "a", "--monitor=no"], /--monitor takes no value/],
    [["run", "a", "--profile"], /--profile needs a value/],
    [["run", "a", "--"], /unknown option "--" for toro run/],
    [["build"], /toro build needs the app folder/],
    [["build", "a", "--cpus", "2"], /unknown option "--cpus" for toro build; toro build takes no options$/],
    [["new"], /toro new needs a sample and a folder, e.g. toro new hello ~\/my-app; got 0 argument\(s\)$/],
    [["new", "hello"], /toro new needs a sample and a folder.*got 1 argument\(s\): hello/],
    [["new", "hello", "a", "b"], /got 3 argument\(s\): hello a b/],
    [["new", "hello", "a", "--force"], /unknown option "--force" for toro new; toro new takes no options/],
    [["bench", "samples/hello"], /toro bench takes no folder/],
    [
      ["bench", "--only", "f5,warp"],
      /--only takes group names separated by commas \(idle, wakeup, boot, f5, step, telemetry, trace, network\), got "f5,warp": unknown "warp"/,
    ],
    [["bench", "--only="], /--only takes group names/],
    [["bench", "--runs", "0"], /--runs must be greater than 0/],
    [["bench", "--steps", "2.5"], /--steps must be a whole number/],
    [["bench", "--seconds"], /--seconds needs a value/],
    [["bench", "--json", "--json"], /--json is given more than once/],
    [["exporter", "--port", "0"], /--port must be greater than 0/],
    [["exporter", "--port", "65536"], /--port must be a TCP port \(1-65535\), got "65536"/],
    [
      ["exporter", "--listen", "example.com"],
      /--listen takes an IP address of this host .*got "example.com"/,
    ],
    [["exporter", "--qmp"], /--qmp needs a value/],
    [["exporter", "--qmp="], /--qmp needs a value, got an empty one/],
    [["exporter", "--once", "--once"], /--once is given more than once/],
    [["exporter", "--openmetrics"], /--openmetrics applies to --once/],
    [["exporter", "runs"], /toro exporter takes no folder, got "runs"/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});
