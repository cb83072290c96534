// cli-arguments.ts - parses the `toro` command line into a typed command (pure, unit-tested). Pairs with
// usage.ts (the help text) and main.ts (dispatch). Values are checked for shape here; the engine validates
// their meaning (validate-overrides.ts) with the same messages the DAP session will give.

import * as net from "node:net";
import { IDLE_POLICIES, ToroError } from "@toro-studio/debug-adapter";

export class UsageError extends ToroError {}

export interface RunCommand {
  kind: "run";
  app: string;
  cpus?: number;
  idlePolicy?: string;
  profile?: string;
  cmdline?: string;
  monitor: boolean;
  durationSeconds?: number;
  json: boolean;
  /** `--trace FILE`: record the kernel's event trace (trace=on unless --cmdline sets trace=) and write it
   * there as a Chrome JSON trace (ui.perfetto.dev); --json then carries the trace analysis. */
  tracePath?: string;
  /** `--network`: user networking, the guest's port forwarded from 127.0.0.1 (a port option implies it). */
  network: boolean;
  hostPort?: number;
  guestPort?: number;
}

/** `toro stress <url>`: HTTP load against a loopback URL (stress-command.ts). */
export interface StressCommand {
  kind: "stress";
  url: string;
  connections?: number;
  durationSeconds?: number;
  /** Stop after this many responses instead of after a duration. */
  requests?: number;
  timeoutSeconds?: number;
  /** A new connection per request instead of keep-alive connections. */
  newConnections: boolean;
  json: boolean;
}

export interface BuildCommand {
  kind: "build";
  app: string;
}

export interface NewCommand {
  kind: "new";
  /** A sample name ("hello") or "samples/hello". */
  sample: string;
  /** The app folder to create (or fill, if it exists and none of the files do). */
  directory: string;
}

/** Row groups of `toro bench`, in the order they run. */
export const BENCH_GROUPS = [
  "idle",
  "wakeup",
  "boot",
  "f5",
  "step",
  "telemetry",
  "trace",
  "network",
] as const;
export type BenchGroup = (typeof BENCH_GROUPS)[number];

export interface BenchCommand {
  kind: "bench";
  profile?: string;
  /** Host CPU measurement window per idle policy. */
  seconds: number;
  /** Boots measured for the boot-time median. */
  boots: number;
  /** Repetitions of the F5 measurement (adapter and floor, alternating) and of the throughput pairs. */
  runs: number;
  /** `next` requests timed for the step round trip. */
  steps: number;
  /** Network rounds: the tickless rows on 1 and 4 vCPUs side by side, which count goes first alternating. */
  rounds: number;
  /** More kernel command line for the network rows' http-server (e.g. "steer=spread"). */
  networkCmdline?: string;
  /** The groups to run (all by default), in BENCH_GROUPS order. */
  groups: BenchGroup[];
  json: boolean;
}

/** `toro exporter`: Prometheus metrics of every Toro VM on this host (exporter-command.ts). */
export interface ExporterCommand {
  kind: "exporter";
  port?: number;
  /** The address to bind (default 127.0.0.1). */
  listen?: string;
  /** QMP sockets of VMs started elsewhere (`--qmp PATH`, repeatable). */
  qmpSockets: string[];
  /** Where run folders are discovered (default: the system temp folder). */
  runsDirectory?: string;
  /** Print one exposition and exit. */
  once: boolean;
  openMetrics: boolean;
}

export interface HelpCommand {
  kind: "help";
}

export type Command =
  RunCommand | BuildCommand | NewCommand | BenchCommand | StressCommand | ExporterCommand | HelpCommand;

type CommandName = Exclude<Command["kind"], "help">;
const COMMAND_NAMES: readonly CommandName[] = ["run", "build", "new", "bench", "stress", "exporter"];

/** "texts": a text option that may be repeated (its values collected in order). */
type OptionKind = "flag" | "text" | "texts" | "integer" | "number";

const OPTIONS: Record<CommandName, Record<string, OptionKind>> = {
  run: {
    cpus: "integer",
    idle: "text",
    profile: "text",
    cmdline: "text",
    monitor: "flag",
    duration: "number",
    json: "flag",
    trace: "text",
    network: "flag",
    "host-port": "integer",
    "guest-port": "integer",
  },
  build: {},
  new: {},
  bench: {
    profile: "text",
    seconds: "number",
    boots: "integer",
    runs: "integer",
    steps: "integer",
    rounds: "integer",
    "network-cmdline": "text",
    only: "text",
    json: "flag",
  },
  stress: {
    connections: "integer",
    duration: "number",
    requests: "integer",
    timeout: "number",
    "new-connections": "flag",
    json: "flag",
  },
  exporter: {
    port: "integer",
    listen: "text",
    qmp: "texts",
    "runs-dir": "text",
    once: "flag",
    openmetrics: "flag",
  },
};

const MAX_PORT = 65535;

export function parseCommandLine(argv: string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") return { kind: "help" };
  if (!(COMMAND_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`unknown command "${name}"; expected ${COMMAND_NAMES.join(", ")} or help`);
  }
  const command = name as CommandName;
  const { positional, options } = splitOptions(command, rest);
  if (options.help === true) return { kind: "help" };

  if (command === "bench") {
    if (positional.length > 0) throw new UsageError(`toro bench takes no folder, got "${positional[0]}"`);
    return {
      kind: "bench",
      profile: options.profile as string | undefined,
      seconds: (options.seconds as number | undefined) ?? 5,
      boots: (options.boots as number | undefined) ?? 5,
      runs: (options.runs as number | undefined) ?? 5,
      steps: (options.steps as number | undefined) ?? 10,
      rounds: (options.rounds as number | undefined) ?? 3,
      networkCmdline: options["network-cmdline"] as string | undefined,
      groups: parseGroups(options.only as string | undefined),
      json: options.json === true,
    };
  }
  if (command === "stress") {
    if (positional.length !== 1) {
      throw new UsageError(
        positional.length === 0
          ? "toro stress needs the URL, e.g. toro stress http://127.0.0.1:8080/"
          : `toro stress takes one URL, got ${positional.length}: ${positional.join(" ")}`,
      );
    }
    if (options.duration !== undefined && options.requests !== undefined) {
      throw new UsageError("give --duration or --requests, not both");
    }
    return {
      kind: "stress",
      url: positional[0],
      connections: options.connections as number | undefined,
      durationSeconds: options.duration as number | undefined,
      requests: options.requests as number | undefined,
      timeoutSeconds: options.timeout as number | undefined,
      newConnections: options["new-connections"] === true,
      json: options.json === true,
    };
  }
  if (command === "exporter") {
    if (positional.length > 0) throw new UsageError(`toro exporter takes no folder, got "${positional[0]}"`);
    const port = options.port as number | undefined;
    if (port !== undefined && port > MAX_PORT) {
      throw new UsageError(`--port must be a TCP port (1-${MAX_PORT}), got "${port}"`);
    }
    const listen = options.listen as string | undefined;
    if (listen !== undefined && net.isIP(listen) === 0) {
      throw new UsageError(
        `--listen takes an IP address of this host (e.g. 127.0.0.1 or ::1), got "${listen}"`,
      );
    }
    if (options.once !== true && options.openmetrics === true) {
      throw new UsageError(
        "--openmetrics applies to --once (a server answers in the format the scraper asks for)",
      );
    }
    return {
      kind: "exporter",
      port,
      listen,
      qmpSockets: (options.qmp as string[] | undefined) ?? [],
      runsDirectory: options["runs-dir"] as string | undefined,
      once: options.once === true,
      openMetrics: options.openmetrics === true,
    };
  }
  if (command === "new") {
    if (positional.length !== 2) {
      throw new UsageError(
        `toro new needs a sample and a folder, e.g. toro new hello ~/my-app; got ${positional.length} argument(s)` +
          (positional.length === 0 ? "" : `: ${positional.join(" ")}`),
      );
    }
    return { kind: "new", sample: positional[0], directory: positional[1] };
  }
  if (positional.length !== 1) {
    throw new UsageError(
      positional.length === 0
        ? `toro ${name} needs the app folder, e.g. toro ${name} samples/hello`
        : `toro ${name} takes one app folder, got ${positional.length}: ${positional.join(" ")}`,
    );
  }
  if (name === "build") return { kind: "build", app: positional[0] };
  const idle = options.idle as string | undefined;
  if (idle !== undefined && !(IDLE_POLICIES as readonly string[]).includes(idle)) {
    throw new UsageError(`--idle must be one of ${IDLE_POLICIES.join(", ")}, got "${idle}"`);
  }
  return {
    kind: "run",
    app: positional[0],
    cpus: options.cpus as number | undefined,
    idlePolicy: options.idle as string | undefined,
    profile: options.profile as string | undefined,
    cmdline: options.cmdline as string | undefined,
    monitor: options.monitor === true,
    durationSeconds: options.duration as number | undefined,
    json: options.json === true,
    tracePath: options.trace as string | undefined,
    network:
      options.network === true || options["host-port"] !== undefined || options["guest-port"] !== undefined,
    hostPort: options["host-port"] as number | undefined,
    guestPort: options["guest-port"] as number | undefined,
  };
}

/** `--only f5,step` -> the groups in BENCH_GROUPS order; undefined -> all. */
function parseGroups(only: string | undefined): BenchGroup[] {
  if (only === undefined) return [...BENCH_GROUPS];
  const names = only.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !(BENCH_GROUPS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--only takes group names separated by commas (${BENCH_GROUPS.join(", ")}), got "${only}"` +
        (unknown.length > 0 ? `: unknown ${unknown.map((name) => `"${name}"`).join(", ")}` : ""),
    );
  }
  return BENCH_GROUPS.filter((group) => names.includes(group));
}

function splitOptions(command: CommandName, args: string[]) {
  const known = OPTIONS[command];
  const positional: string[] = [];
  const options: Record<string, string | string[] | number | boolean> = {};
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (!arg.startsWith("--")) {
      if (arg.startsWith("-") && arg !== "-")
        throw new UsageError(`unknown option "${arg}" (options start with --)`);
      positional.push(arg);
      continue;
    }
    const equals = arg.indexOf("=");
    const key = arg.slice(2, equals < 0 ? undefined : equals);
    if (key === "help") {
      options.help = true;
      continue;
    }
    const kind = known[key];
    if (kind === undefined) {
      const valid = Object.keys(known).map((option) => `--${option}`);
      throw new UsageError(
        `unknown option "--${key}" for toro ${command}; ` +
          (valid.length > 0 ? `expected ${valid.join(", ")}` : `toro ${command} takes no options`),
      );
    }
    if (key in options && kind !== "texts") throw new UsageError(`--${key} is given more than once`);
    if (kind === "flag") {
      if (equals >= 0) throw new UsageError(`--${key} takes no value`);
      options[key] = true;
      continue;
    }
    const value = equals >= 0 ? arg.slice(equals + 1) : args[++index];
    if (value === undefined || (equals < 0 && value.startsWith("--"))) {
      throw new UsageError(`--${key} needs a value`);
    }
    if (kind === "texts") {
      if (value.trim() === "") throw new UsageError(`--${key} needs a value, got an empty one`);
      options[key] = [...((options[key] as string[] | undefined) ?? []), value];
      continue;
    }
    options[key] = convert(key, kind, value);
  }
  return { positional, options };
}

function convert(key: string, kind: Exclude<OptionKind, "texts">, value: string): string | number {
  if (kind === "text") return value;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number)) {
    throw new UsageError(`--${key} must be a number, got "${value}"`);
  }
  if (kind === "integer" && !Number.isInteger(number)) {
    throw new UsageError(`--${key} must be a whole number, got "${value}"`);
  }
  if (number <= 0) throw new UsageError(`--${key} must be greater than 0, got "${value}"`);
  return number;
}
