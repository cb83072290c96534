#!/usr/bin/env node
// setup.mjs - the one set-up step that `npm start`, `npm test` and .ci/run share.
// Checks the system tools the kernel build, QEMU runs and tests need; installs the missing Debian packages
// with apt-get when running as root, otherwise stops and prints the exact command to run. Then makes sure the
// npm workspaces are installed. Uses only Node's standard library (it runs before `npm ci`).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Each tool the project runs, and the Debian package that provides it. */
const requiredTools = [
  { command: "qemu-system-x86_64", debianPackage: "qemu-system-x86", purpose: "boots the kernel" },
  { command: "gdb", debianPackage: "gdb", purpose: "debugs the kernel" },
  { command: "gcc", debianPackage: "gcc", purpose: "compiles the kernel" },
  { command: "ld", debianPackage: "binutils", purpose: "links the kernel" },
  { command: "objcopy", debianPackage: "binutils", purpose: "wraps the kernel for multiboot" },
  { command: "make", debianPackage: "make", purpose: "drives the kernel build" },
  { command: "clang-format", debianPackage: "clang-format", purpose: "checks the C style (npm run lint)" },
  {
    command: "clang-14",
    debianPackage: "clang-14",
    purpose: "builds the fuzz targets (npm run fuzz) and runs the static analyzer (npm run lint)",
  },
  { command: "grub-mkrescue", debianPackage: "grub-common", purpose: "makes the bootable ISO" },
  { command: "xorriso", debianPackage: "xorriso", purpose: "makes the bootable ISO" },
  { command: "mformat", debianPackage: "mtools", purpose: "makes the bootable ISO" },
  {
    command: "chromium",
    debianPackage: "chromium",
    purpose: "runs VS Code (code-server) in the end-to-end tests",
  },
  { command: "rg", debianPackage: "ripgrep", purpose: "seeds code-server's ripgrep download cache" },
  { command: "g++", debianPackage: "g++", purpose: "builds code-server's native modules (node-gyp)" },
  { command: "python3", debianPackage: "python3", purpose: "builds code-server's native modules (node-gyp)" },
  {
    command: "curl",
    debianPackage: "curl",
    purpose: "fetches pages from the http-server sample in its tests",
  },
  {
    command: "prometheus",
    debianPackage: "prometheus",
    purpose: "scrapes `toro exporter` in its test (a real Prometheus server)",
  },
];
/**
 * Packages with no command of their own: GRUB's BIOS and UEFI modules (the ISO boots under both), the UEFI
 * firmware (the uefi profile and its test), Kerberos headers (code-server), clang's runtime libraries
 * (libFuzzer, sanitizers), sshd (not on a user's PATH; the remote-attach test starts its own).
 */
const requiredFiles = [
  { path: "/usr/lib/grub/i386-pc/modinfo.sh", debianPackage: "grub-pc-bin" },
  { path: "/usr/lib/grub/x86_64-efi/modinfo.sh", debianPackage: "grub-efi-amd64-bin" },
  { path: "/usr/share/ovmf/OVMF.fd", debianPackage: "ovmf" }, // qemu-profiles/uefi.json's "firmware"
  { path: "/usr/include/krb5.h", debianPackage: "libkrb5-dev" }, // code-server's kerberos module
  { path: "/usr/sbin/sshd", debianPackage: "openssh-server" }, // the remote-attach test's own sshd on 127.0.0.1
  // libFuzzer and the sanitizer runtimes of clang 14 (npm run fuzz)
  {
    path: "/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a",
    debianPackage: "libclang-rt-14-dev",
  },
];

function findOnPath(command) {
  for (const directory of (process.env.PATH ?? "").split(delimiter)) {
    if (directory && existsSync(join(directory, command))) return true;
  }
  return false;
}

function missingPackages() {
  const packages = new Set();
  for (const tool of requiredTools) if (!findOnPath(tool.command)) packages.add(tool.debianPackage);
  for (const file of requiredFiles) if (!existsSync(file.path)) packages.add(file.debianPackage);
  return [...packages];
}

function run(command, args) {
  console.log(`setup: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", cwd: repositoryRoot });
  if (result.error) throw new Error(`setup: could not run ${command}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`setup: ${command} ${args.join(" ")} exited with ${result.status}`);
}

function installSystemPackages() {
  const packages = missingPackages();
  if (packages.length === 0) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    console.error(`setup: missing system packages: ${packages.join(", ")}`);
    console.error(`setup: run this once, then try again:`);
    console.error(`  sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}`);
    process.exit(1);
  }
  const environment = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...packages]]) {
    console.log(`setup: apt-get ${args.join(" ")}`);
    const result = spawnSync("apt-get", args, { stdio: "inherit", env: environment });
    if (result.status !== 0) throw new Error(`setup: apt-get ${args[0]} failed (exit ${result.status})`);
  }
  const stillMissing = missingPackages();
  if (stillMissing.length > 0)
    throw new Error(`setup: still missing after install: ${stillMissing.join(", ")}`);
}

function installNodeModules() {
  if (existsSync(join(repositoryRoot, "node_modules", ".package-lock.json"))) return;
  run("npm", existsSync(join(repositoryRoot, "package-lock.json")) ? ["ci"] : ["install"]);
}

try {
  installSystemPackages();
  if (!process.argv.includes("--system-only")) installNodeModules();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
