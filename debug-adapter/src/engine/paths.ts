// paths.ts - where the repository's parts live (kernel/, qemu-profiles/, samples/), found by walking up
// from this file, or in another checkout named by the user (launch field `kernelCheckout`). Pairs with build/build-runner.ts and profiles/load-profile.ts, which take these as defaults.

import * as fs from "node:fs";
import * as path from "node:path";
import { ToroError } from "./errors";

/** A file that only the Toro Studio repository root has: the kernel/engine contract. */
const ROOT_MARKER = path.join("kernel", "include", "telemetry_abi.h");

export class RepositoryNotFoundError extends ToroError {}

/** The repository root: the nearest ancestor of `start` that holds kernel/include/telemetry_abi.h. */
export function findRepositoryRoot(start: string = __dirname): string {
  let directory = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(directory, ROOT_MARKER))) return directory;
    const parent = path.dirname(directory);
    if (parent === directory) {
      throw new RepositoryNotFoundError(
        `cannot find the Toro Studio repository above ${start} (looked for ${ROOT_MARKER})`,
      );
    }
    directory = parent;
  }
}

export class NotACheckoutError extends ToroError {}

/**
 * `directory` (relative to `workingDirectory`) as the root of a Toro checkout used instead of the one this
 * code ships with; throws NotACheckoutError unless it holds the kernel and the QEMU profiles.
 */
export function checkoutRoot(directory: string, workingDirectory = process.cwd()): string {
  const root = path.resolve(workingDirectory, directory);
  const missing = [ROOT_MARKER, "qemu-profiles"].filter((part) => !fs.existsSync(path.join(root, part)));
  if (missing.length > 0) {
    throw new NotACheckoutError(
      `${root} is not a Toro checkout: it has no ${missing.join(" and no ")}`,
      "Give the folder that holds kernel/, qemu-profiles/ and samples/.",
    );
  }
  return root;
}

export interface RepositoryPaths {
  root: string;
  kernel: string;
  profiles: string;
  samples: string;
  /** The self-test app: built by `make -C kernel selftest` into kernel/build/selftest/. */
  selftest: string;
}

export function repositoryPaths(root: string = findRepositoryRoot()): RepositoryPaths {
  return {
    root,
    kernel: path.join(root, "kernel"),
    profiles: path.join(root, "qemu-profiles"),
    samples: path.join(root, "samples"),
    selftest: path.join(root, "kernel", "selftest"),
  };
}
