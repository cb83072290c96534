// cli-arguments.test.ts - the `toro` command line parser: commands, options in both spellings, defaults,
// and a clear UsageError for each kind of mistake.

import { describe, expect, it } from "vitest";
import { parseCommandLine, UsageError } from "../../src/cli/cli-arguments";

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
    });
    expect(parseCommandLine(["run", "samples/hello"])).toMatchObject({
      monitor: false,
      json: false,
      cpus: undefined,
    });
  });

  it("parses build, bench with defaults, and help", () => {
    expect(parseCommandLine(["build", "samples/hello"])).toEqual({ kind: "build", app: "samples/hello" });
    expect(parseCommandLine(["bench"])).toEqual({
      kind: "bench",
      profile: undefined,
      seconds: 5,
      boots: 5,
      json: false,
    });
    expect(parseCommandLine(["bench", "--seconds", "2", "--boots=3"])).toMatchObject({
      seconds: 2,
      boots: 3,
    });
    expect(parseCommandLine([])).toEqual({ kind: "help" });
    expect(parseCommandLine(["run", "--help"])).toEqual({ kind: "help" });
  });

  it.each([
    [["frobnicate"], /unknown command "frobnicate"; expected run, build, bench or help/],
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
    [["build", "a", "--cpus", "2"], /unknown option "--cpus" for toro build$/],
    [["bench", "samples/hello"], /toro bench takes no folder/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});
