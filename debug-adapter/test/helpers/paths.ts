// paths.ts - where tests find the repository, the fixtures and the built kernels, and a per-test private
// temporary parent directory so a test can assert that nothing it launched left files behind.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const adapterDirectory = path.resolve(__dirname, "..", "..");
export const repositoryRoot = path.resolve(adapterDirectory, "..");
export const kernelDirectory = path.join(repositoryRoot, "kernel");
export const kernelInclude = path.join(kernelDirectory, "include");
export const samplesDirectory = path.join(repositoryRoot, "samples");
export const profilesDirectory = path.join(repositoryRoot, "qemu-profiles");
export const fixturesDirectory = path.join(adapterDirectory, "test", "fixtures");
export const selftestBuild = path.join(kernelDirectory, "build", "selftest");

/** A fresh private directory for one test file; remove it with removeScratch(). */
export function makeScratch(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `toro-test-${label}-`));
}

export function removeScratch(directory: string): void {
  fs.rmSync(directory, { recursive: true, force: true });
}
