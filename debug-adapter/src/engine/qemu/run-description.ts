// run-description.ts - `run.json`, the small description every QemuInstance writes into its private run
// folder once QEMU answers on QMP: which app and profile, the idle policy, QEMU's pid, the guest RAM file, the
// kernel.elf that locates the telemetry block, the QMP socket, the gdbstub port and when it started. The block's
// address is not computed here (reading the ELF would add milliseconds to every start, F5 included): readers
// locate it in kernel.elf themselves, as it is when they read (a launch may rebuild it after QEMU started).
// It lets a program that did not start the VM (the exporter, ../exporter/run-discovery.ts) find every Toro VM of this
// user on the host and read its telemetry from the RAM file without asking the process that owns it.
// Contract: written once, atomically (temporary file + rename), mode 0600 inside the 0700 folder; removed with
// the folder. Readers must tolerate a folder without it (being created, or made by an older version).

import * as fs from "node:fs";
import * as path from "node:path";

export const RUN_DESCRIPTION_FILE = "run.json";
export const RUN_DESCRIPTION_VERSION = 1;

export interface RunDescription {
  version: number;
  /** The app folder (the one whose build/ holds the booted image). */
  app: string;
  profile: string;
  idlePolicy: string;
  cpus: number;
  pid: number;
  ramPath: string;
  qmpSocketPath: string;
  /** 127.0.0.1 port of the gdbstub, null without one. */
  gdbPort: number | null;
  /** kernel.elf of the booted image (its `toro_telemetry` symbol locates the block). */
  kernelElfPath: string;
  /** Wall-clock start, milliseconds since the epoch (Date.now()). */
  startedAtMs: number;
}

/** What the launcher knows when it describes a run: the description less what describeRun derives. */
export type RunFacts = Omit<RunDescription, "version" | "app" | "kernelElfPath" | "gdbPort"> & {
  /** The booted file: <app>/build/boot.elf, kernel.elf or toro.iso. */
  kernelPath: string;
  /** kernel.elf of the same build; default: kernel.elf next to kernelPath. */
  kernelElfPath?: string;
  gdbPort: number | undefined;
};

/** Builds the description from what the launcher knows; the app is the folder above build/. */
export function describeRun(facts: RunFacts): RunDescription {
  const kernelPath = path.resolve(facts.kernelPath);
  const kernelElfPath = path.resolve(
    facts.kernelElfPath ?? path.join(path.dirname(kernelPath), "kernel.elf"),
  );
  const buildDirectory = path.dirname(kernelPath);
  const app = path.basename(buildDirectory) === "build" ? path.dirname(buildDirectory) : buildDirectory;
  return {
    version: RUN_DESCRIPTION_VERSION,
    app,
    profile: facts.profile,
    idlePolicy: facts.idlePolicy,
    cpus: facts.cpus,
    pid: facts.pid,
    ramPath: facts.ramPath,
    qmpSocketPath: facts.qmpSocketPath,
    gdbPort: facts.gdbPort ?? null,
    kernelElfPath,
    startedAtMs: facts.startedAtMs,
  };
}

export function writeRunDescription(directory: string, description: RunDescription): void {
  const target = path.join(directory, RUN_DESCRIPTION_FILE);
  const temporary = `${target}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(description, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, target);
}

/** The folder's description, or undefined when it has none or it is not a valid one of this version. */
export function readRunDescription(directory: string): RunDescription | undefined {
  let value: Partial<RunDescription>;
  try {
    value = JSON.parse(
      fs.readFileSync(path.join(directory, RUN_DESCRIPTION_FILE), "utf8"),
    ) as Partial<RunDescription>;
  } catch {
    return undefined;
  }
  const valid =
    value.version === RUN_DESCRIPTION_VERSION &&
    typeof value.app === "string" &&
    typeof value.profile === "string" &&
    typeof value.idlePolicy === "string" &&
    Number.isInteger(value.pid) &&
    typeof value.ramPath === "string" &&
    typeof value.qmpSocketPath === "string" &&
    typeof value.kernelElfPath === "string" &&
    typeof value.startedAtMs === "number";
  return valid ? (value as RunDescription) : undefined;
}
