// launch-configuration.ts - turns checked `launch`/`attach` arguments (../protocol/launch-arguments.ts) into
// engine options: the image source, the QEMU profile and overrides, the tools to check, the checkout whose
// kernel and profiles are used. Everything that needs the file system is checked here (checkout, app folder,
// profile file, overrides the engine refuses), each failure a LaunchConfigurationError whose message says
// what is wrong and what was expected.

import * as path from "node:path";
import { ToroError } from "../engine/errors";
import { checkoutRoot, NotACheckoutError, repositoryPaths, type RepositoryPaths } from "../engine/paths";
import type { ImageSource } from "../engine/launch/kernel-image";
import { resolveAppDirectory } from "../engine/launch/kernel-image";
import { compilerCommand, type RequiredTool } from "../engine/launch/toolchain";
import { loadProfile } from "../engine/profiles/load-profile";
import type { LaunchOverrides, QemuProfile } from "../engine/profiles/profile";
import { validateOverrides } from "../engine/profiles/validate-overrides";
import { effectiveSettings } from "../engine/qemu/arguments";
import { DEFAULT_QEMU_PATH } from "../engine/qemu/qemu-instance";
import {
  DEFAULT_TELEMETRY_HZ,
  type ToroAttachArguments,
  type ToroLaunchArguments,
} from "../protocol/launch-arguments";
import {
  parseGdbstubAddress,
  validateAttachArguments,
  validateLaunchArguments,
} from "../protocol/validate-arguments";

export class LaunchConfigurationError extends ToroError {
  constructor(
    readonly request: "launch" | "attach",
    readonly problems: string[],
  ) {
    super(
      problems.length === 1
        ? `Invalid ${request} configuration: ${problems[0]}`
        : `Invalid ${request} configuration:\n  - ${problems.join("\n  - ")}`,
    );
  }
}

export interface LaunchPlan {
  arguments: ToroLaunchArguments;
  /** Run Without Debugging: QEMU without gdbstub, no GDB (VS Code's `noDebug`). */
  noDebug: boolean;
  image: ImageSource;
  profile: QemuProfile;
  overrides: LaunchOverrides;
  tools: RequiredTool[];
  qemuPath: string;
  gdbPath: string;
  /** Fixed gdbstub port, undefined for a free one. */
  gdbPort?: number;
  stopOnEntry: boolean;
  telemetryHz: number;
}

export interface AttachPlan {
  arguments: ToroAttachArguments;
  host: string;
  port: number;
  qmpSocket?: string;
  kernelElf: string;
  gdbPath: string;
  stopOnAttach: boolean;
  telemetryHz: number;
  tools: RequiredTool[];
  /** Reach gdbstub and QMP socket through an SSH tunnel to this machine (../engine/launch/ssh-tunnel.ts). */
  ssh?: { destination: string; port?: number; options: string[] };
}

/** Wraps an engine check so its ToroError becomes one problem of the configuration. */
function attempt<Result>(request: "launch" | "attach", check: () => Result): Result {
  try {
    return check();
  } catch (error) {
    if (error instanceof ToroError) throw new LaunchConfigurationError(request, [error.message]);
    throw error;
  }
}

/** This repository's kernel and profiles, or those of the checkout named by `kernelCheckout`. */
function checkoutPaths(kernelCheckout: string | undefined): RepositoryPaths {
  if (kernelCheckout === undefined) return repositoryPaths();
  return attempt("launch", () => {
    try {
      return repositoryPaths(checkoutRoot(kernelCheckout));
    } catch (error) {
      if (error instanceof NotACheckoutError) throw new ToroError(`"kernelCheckout": ${error.message}`);
      throw error;
    }
  });
}

/** A "uefi-iso" profile boots toro.iso: built with the launch's kernel command line in its grub.cfg. */
function sourceForBoot(source: ImageSource, profile: QemuProfile, overrides: LaunchOverrides): ImageSource {
  if (profile.boot !== "uefi-iso") return source;
  if (source.kind === "program") return { ...source, iso: true };
  return { ...source, isoCommandLine: effectiveSettings(profile, overrides).kernelCommandLine };
}

export function planLaunch(raw: unknown): LaunchPlan {
  const checked = validateLaunchArguments(raw);
  if (!checked.valid) throw new LaunchConfigurationError("launch", checked.problems);
  const args = checked.arguments;
  const paths = checkoutPaths(args.kernelCheckout);
  const build = args.program === undefined && (args.build ?? true);
  const source: ImageSource =
    args.program !== undefined
      ? { kind: "program", kernelElf: path.resolve(args.program) }
      : {
          kind: "app",
          appDirectory: attempt("launch", () => resolveAppDirectory(args.app!, process.cwd(), paths.root)),
          build,
          kernelDirectory: paths.kernel,
        };
  const profile = attempt("launch", () => loadProfile(args.profile, paths.profiles));
  const overrides = attempt("launch", () =>
    validateOverrides(
      {
        cpus: args.cpus,
        memoryMiB: args.memory,
        accel: args.accel,
        idlePolicy: args.idle,
        cmdline: args.cmdline,
        extraArgs: args.extraQemuArgs,
        // undefined members are ignored: no network field given = the profile decides
        network: { enabled: args.network, hostPort: args.networkHostPort, guestPort: args.networkGuestPort },
      },
      "launch arguments",
    ),
  );
  const image = sourceForBoot(source, profile, overrides);
  const qemuPath = args.qemuPath ?? DEFAULT_QEMU_PATH;
  const gdbPath = args.gdbPath ?? "gdb";
  const tools: RequiredTool[] = [
    { role: "qemu", command: qemuPath, setting: args.qemuPath === undefined ? undefined : '"qemuPath"' },
  ];
  // Run Without Debugging never starts GDB, so it works without one.
  if (!checked.noDebug)
    tools.push({
      role: "gdb",
      command: gdbPath,
      setting: args.gdbPath === undefined ? undefined : '"gdbPath"',
    });
  if (build) tools.push(compilerCommand(), { role: "make", command: "make" });
  return {
    arguments: args,
    noDebug: checked.noDebug,
    image,
    profile,
    overrides,
    tools,
    qemuPath,
    gdbPath,
    gdbPort: args.gdbPort,
    stopOnEntry: args.stopOnEntry ?? false,
    telemetryHz: args.telemetryHz ?? DEFAULT_TELEMETRY_HZ,
  };
}

export function planAttach(raw: unknown): AttachPlan {
  const checked = validateAttachArguments(raw);
  if (!checked.valid) throw new LaunchConfigurationError("attach", checked.problems);
  const args = checked.arguments;
  const address = parseGdbstubAddress(args.gdbstub);
  if (typeof address === "string") throw new LaunchConfigurationError("attach", [address]);
  const gdbPath = args.gdbPath ?? "gdb";
  const problems: string[] = [];
  if (args.ssh === undefined && args.sshPort !== undefined)
    problems.push('"sshPort" needs "ssh" (user@host)');
  if (args.ssh === undefined && args.sshOptions !== undefined)
    problems.push('"sshOptions" needs "ssh" (user@host)');
  if (problems.length > 0) throw new LaunchConfigurationError("attach", problems);
  const ssh =
    args.ssh === undefined
      ? undefined
      : { destination: args.ssh, port: args.sshPort, options: args.sshOptions ?? [] };
  return {
    arguments: args,
    host: address.host,
    port: address.port,
    ssh,
    // Through ssh the QMP path is one on the remote machine: taken as it is.
    qmpSocket:
      args.qmpSocket === undefined
        ? undefined
        : ssh === undefined
          ? path.resolve(args.qmpSocket)
          : args.qmpSocket,
    kernelElf: path.resolve(args.program),
    gdbPath,
    stopOnAttach: args.stopOnAttach ?? false,
    telemetryHz: args.telemetryHz ?? DEFAULT_TELEMETRY_HZ,
    tools: [
      { role: "gdb", command: gdbPath, setting: args.gdbPath === undefined ? undefined : '"gdbPath"' },
      ...(ssh === undefined ? [] : [{ role: "ssh" as const, command: "ssh", setting: '"ssh"' }]),
    ],
  };
}
