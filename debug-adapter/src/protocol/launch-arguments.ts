// launch-arguments.ts - the `launch` and `attach` arguments of the `toro` debugger, declared ONCE: as JSON
// schema objects (what the extension's package.json `configurationAttributes` is generated from and tested
// against), with the TypeScript types derived from them, so the two cannot drift. Validated by
// validate-arguments.ts; turned into engine options by ../session/launch-configuration.ts.
// Self-contained on purpose (no runtime imports): the extension bundles it.

/** The subset of JSON schema these declarations use (and validate-arguments.ts understands). */
export interface ArgumentSchema {
  type: "string" | "integer" | "number" | "boolean" | "array";
  description: string;
  default?: unknown;
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  minimum?: number;
  maximum?: number;
  /** For strings: at least this many non-blank characters. */
  minLength?: number;
  /** A regular expression the whole string must match. */
  pattern?: string;
  /** Shown by VS Code (and by the validator) when `pattern` does not match: what was expected. */
  patternErrorMessage?: string;
  items?: { type: "string" };
}

export interface ArgumentsSchema {
  type: "object";
  required: readonly string[];
  properties: Readonly<Record<string, ArgumentSchema>>;
}

/** Same limits as the engine (MAX_CPUS in kernel/include/telemetry_abi.h, profile.ts); a test keeps them equal. */
const MAX_CPUS = 256;
const MIN_MEMORY_MIB = 16;
const MAX_MEMORY_MIB = 2048;
export const DEFAULT_TELEMETRY_HZ = 10;
export const MAX_TELEMETRY_HZ = 200;

const gdbPath = {
  type: "string",
  minLength: 1,
  description: "The GDB executable (default: `gdb` from PATH). Needs x86-64 support (Debian's `gdb` has it).",
  default: "gdb",
} as const;

const telemetryHz = {
  type: "number",
  description:
    "How many `toroTelemetry` events per second (read from guest RAM, never through GDB, so the VM is " +
    "never stopped by them). 0 turns the events off; `toroSnapshot` still answers.",
  default: DEFAULT_TELEMETRY_HZ,
  minimum: 0,
  maximum: MAX_TELEMETRY_HZ,
} as const;

const logFile = {
  type: "string",
  minLength: 1,
  description: "Write the adapter's trace (GDB/MI lines, QMP events, serial lines) to this file.",
} as const;

export const TORO_LAUNCH_SCHEMA = {
  type: "object",
  required: [],
  properties: {
    app: {
      type: "string",
      minLength: 1,
      description:
        "Folder of the application (its .c files are built with the kernel: `make -C kernel APP=<app>`). " +
        "Give `app` or `program`.",
    },
    program: {
      type: "string",
      minLength: 1,
      description:
        "A prebuilt kernel.elf to debug instead of building `app` (QEMU boots the boot.elf next to it).",
    },
    profile: {
      type: "string",
      minLength: 1,
      description:
        "QEMU profile: a name from qemu-profiles/ (default, smp1, microvm, pvh, uefi, kvm, network) or a path to a .json file.",
      default: "default",
    },
    cpus: {
      type: "integer",
      description: "Number of vCPUs (overrides the profile). Each vCPU is one thread in the Call Stack.",
      minimum: 1,
      maximum: MAX_CPUS,
    },
    memory: {
      type: "integer",
      description: "Guest RAM in MiB (overrides the profile).",
      minimum: MIN_MEMORY_MIB,
      maximum: MAX_MEMORY_MIB,
    },
    accel: {
      type: "string",
      description: "QEMU accelerator (overrides the profile).",
      enum: ["tcg", "kvm"],
      enumDescriptions: ["Software emulation: runs anywhere.", "Hardware virtualization: needs /dev/kvm."],
    },
    idle: {
      type: "string",
      description: "Idle policy of the kernel (`idle=` on its command line).",
      enum: ["busy", "pause", "halt", "tickless"],
      enumDescriptions: [
        "Spin without pause: the 'before' baseline, a host CPU per vCPU.",
        "Spin with pause.",
        "hlt with a periodic tick.",
        "hlt and no tick while nothing is due.",
      ],
      default: "tickless",
    },
    cmdline: {
      type: "string",
      description: "More kernel command line after `idle=`, e.g. `pollgrace=200 rounds=3` (app arguments).",
      pattern: "^[^\\u0000-\\u001f]*$",
      patternErrorMessage: "one line of text without control characters",
    },
    stopOnEntry: {
      type: "boolean",
      description: "Stop at the application's `main` (on core 0) once the kernel has started every core.",
      default: false,
    },
    build: {
      type: "boolean",
      description: "Build `app` before booting (make is incremental). With false, `app`/build/ must exist.",
      default: true,
    },
    qemuPath: {
      type: "string",
      minLength: 1,
      description: "The QEMU executable (default: `qemu-system-x86_64` from PATH).",
      default: "qemu-system-x86_64",
    },
    gdbPath,
    gdbPort: {
      type: "integer",
      description:
        "Port of QEMU's gdbstub on 127.0.0.1 (default: a free port). Fix it to attach another tool; the launch " +
        "fails if another program uses it.",
      minimum: 1,
      maximum: 65535,
    },
    extraQemuArgs: {
      type: "array",
      description:
        "More QEMU arguments, one per item, appended last (not the options the launcher sets itself).",
      items: { type: "string" },
      default: [],
    },
    network: {
      type: "boolean",
      description:
        "QEMU user networking with a virtio-net device: the guest's port (`networkGuestPort`, 80) is " +
        "forwarded from 127.0.0.1 at a free port (or `networkHostPort`), and the URL is shown in the Debug " +
        "Console. For samples/http-server and `Toro: Stress with HTTP`. A profile with `network` turns it on too.",
      default: false,
    },
    networkHostPort: {
      type: "integer",
      description:
        "The forwarded port on 127.0.0.1 (default: a free port). Implies `network`; the launch fails if " +
        "another program uses the port.",
      minimum: 1,
      maximum: 65535,
    },
    networkGuestPort: {
      type: "integer",
      description: "The guest's TCP port the forwarded port reaches (default 80). Implies `network`.",
      default: 80,
      minimum: 1,
      maximum: 65535,
    },
    telemetryHz,
    logFile,
    kernelCheckout: {
      type: "string",
      minLength: 1,
      description:
        "Another Toro checkout (a folder holding kernel/, qemu-profiles/, samples/) to build and boot against, " +
        "instead of the one the adapter ships with: `make -C <kernelCheckout>/kernel`, profile names from " +
        "`<kernelCheckout>/qemu-profiles`, a relative `app` also looked up there.",
    },
  },
} as const satisfies ArgumentsSchema;

export const TORO_ATTACH_SCHEMA = {
  type: "object",
  required: ["gdbstub", "program"],
  properties: {
    gdbstub: {
      type: "string",
      description: "Where QEMU's gdbstub listens, `host:port` (QEMU started with `-gdb tcp:127.0.0.1:1234`).",
      pattern: "^[A-Za-z0-9.-]+:[0-9]{1,5}$",
      patternErrorMessage: "host:port, e.g. 127.0.0.1:1234",
      default: "127.0.0.1:1234",
    },
    qmpSocket: {
      type: "string",
      minLength: 1,
      description:
        "QEMU's QMP unix socket (QEMU started with `-qmp unix:<path>,server=on,wait=off`): live telemetry, " +
        "restart and triple-fault detection. Without it, telemetry is read only while stopped.",
    },
    program: {
      type: "string",
      minLength: 1,
      description: "The kernel.elf QEMU is running (symbols, sources, telemetry block address).",
    },
    ssh: {
      type: "string",
      description:
        "Attach to a QEMU on another machine through an SSH tunnel (`ssh -L`): `user@host` or `host`. " +
        "`gdbstub` and `qmpSocket` are then as seen from that machine (e.g. `127.0.0.1:1234`, " +
        "`/tmp/vm/qmp.sock`); `program` is the kernel.elf here. ssh runs in batch mode: use a key or an agent.",
      pattern: "^[A-Za-z0-9_][A-Za-z0-9._-]*(@[A-Za-z0-9_][A-Za-z0-9._:-]*)?$",
      patternErrorMessage: "user@host or host, e.g. toro@lab-1",
    },
    sshPort: {
      type: "integer",
      minimum: 1,
      maximum: 65535,
      description: "With `ssh`: sshd's port on that machine (default: ssh's own, 22 or your ssh config).",
    },
    sshOptions: {
      type: "array",
      items: { type: "string" },
      description: 'With `ssh`: more ssh arguments, e.g. ["-i", "~/.ssh/lab", "-o", "ProxyJump=bastion"].',
      default: [],
    },
    stopOnAttach: {
      type: "boolean",
      description: "Leave the VM stopped after attaching (default: it runs on, as before attaching).",
      default: false,
    },
    gdbPath,
    telemetryHz,
    logFile,
  },
} as const satisfies ArgumentsSchema;

type Simplify<T> = { [Key in keyof T]: T[Key] };

/** The TypeScript type of one property schema. */
type ValueOf<Property> = Property extends { enum: readonly (infer Choice)[] }
  ? Choice
  : Property extends { type: "string" }
    ? string
    : Property extends { type: "integer" | "number" }
      ? number
      : Property extends { type: "boolean" }
        ? boolean
        : Property extends { type: "array"; items: infer Item }
          ? ValueOf<Item>[]
          : never;

/** The arguments object a schema describes: required properties mandatory, the others optional. */
export type ArgumentsOf<Schema extends ArgumentsSchema> = Simplify<
  {
    -readonly [Key in keyof Schema["properties"] & Schema["required"][number]]: ValueOf<
      Schema["properties"][Key]
    >;
  } & {
    -readonly [Key in Exclude<keyof Schema["properties"], Schema["required"][number]>]?: ValueOf<
      Schema["properties"][Key]
    >;
  }
>;

export type ToroLaunchArguments = ArgumentsOf<typeof TORO_LAUNCH_SCHEMA>;
export type ToroAttachArguments = ArgumentsOf<typeof TORO_ATTACH_SCHEMA>;

/**
 * `noDebug` (Run Without Debugging: Ctrl+F5) is VS Code's own field, so it is not in the schemas above; the
 * adapter reads it from the launch arguments (validate-arguments.ts checks that it is a boolean). With it,
 * QEMU boots without a gdbstub and GDB is never started.
 */
export const NO_DEBUG_FIELD = "noDebug";

/**
 * Fields VS Code itself adds to every configuration (and `__`-prefixed internal ones): accepted and ignored,
 * so that any other unknown field (a typo such as `cpu`) is reported.
 */
export const CLIENT_CONFIGURATION_FIELDS: readonly string[] = [
  "type",
  "request",
  "name",
  NO_DEBUG_FIELD,
  "preLaunchTask",
  "postDebugTask",
  "debugServer",
  "internalConsoleOptions",
  "presentation",
  "suppressMultipleSessionWarning",
];
