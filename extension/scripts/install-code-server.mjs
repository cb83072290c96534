#!/usr/bin/env node
// install-code-server.mjs - installs code-server 4.100.3 (a real VS Code 1.100.3 served to a browser) into a
// cache folder (code-server-location.mjs) for the end-to-end tests, the benchmark and `npm start`; a no-op
// when that version is already there. Exact versions from scripts/code-server/package-lock.json (`npm ci`),
// kept out of the repository's lock file. Offline except for the npm registry:
//   - npm 11 runs no install script it has not been told to: code-server's postinstall (which installs
//     VS Code's own dependencies, with shrinkwrapped versions, and builds their native modules with node-gyp)
//     and argon2's are run explicitly by `npm rebuild`; node-gyp needs g++, make, python3 and libkrb5-dev;
//   - @vscode/ripgrep's postinstall would download rg: a cache file made from the system's rg (Debian's
//     `ripgrep`) is put where it looks first, and removed again afterwards.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CODE_SERVER_VERSION,
  codeServerDirectory,
  codeServerExecutable,
  installedMarker,
} from "./code-server-location.mjs";

const scriptsDirectory = dirname(fileURLToPath(import.meta.url));
const directory = codeServerDirectory();

/** @vscode/ripgrep 1.15.11 (VS Code 1.100's) looks for this file before downloading. */
const RIPGREP_CACHE = join(
  tmpdir(),
  "vscode-ripgrep-cache-1.15.11",
  "ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz",
);

/** What the native builds and the ripgrep step need, and the Debian package of each. */
const PREREQUISITES = [
  { check: () => onPath("rg"), debianPackage: "ripgrep" },
  {
    check: () => existsSync("/usr/include/krb5.h") || existsSync("/usr/include/krb5/krb5.h"),
    debianPackage: "libkrb5-dev",
  },
  { check: () => onPath("g++"), debianPackage: "g++" },
  { check: () => onPath("make"), debianPackage: "make" },
  { check: () => onPath("python3"), debianPackage: "python3" },
];

/** The full path of `command` on PATH, or null. */
function onPath(command) {
  const folder = (process.env.PATH ?? "")
    .split(delimiter)
    .find((entry) => entry && existsSync(join(entry, command)));
  return folder === undefined ? null : join(folder, command);
}

function run(command, args, options = {}) {
  console.log(`install-code-server: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", cwd: directory, ...options });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

function isInstalled() {
  return (
    existsSync(installedMarker(directory)) &&
    readFileSync(installedMarker(directory), "utf8").trim() === CODE_SERVER_VERSION
  );
}

/** Puts the system's rg where @vscode/ripgrep looks; returns the folder to remove afterwards, or null. */
function seedRipgrepCache() {
  if (existsSync(RIPGREP_CACHE)) return null;
  const rg = onPath("rg");
  const cacheFolder = dirname(RIPGREP_CACHE);
  const created = !existsSync(cacheFolder);
  mkdirSync(cacheFolder, { recursive: true });
  try {
    run("tar", ["-czf", RIPGREP_CACHE, "-C", dirname(rg), "rg"]);
  } catch (error) {
    rmSync(created ? cacheFolder : RIPGREP_CACHE, { recursive: true, force: true });
    throw error;
  }
  return created ? cacheFolder : RIPGREP_CACHE;
}

function install() {
  const missing = PREREQUISITES.filter((prerequisite) => !prerequisite.check()).map(
    (prerequisite) => prerequisite.debianPackage,
  );
  if (missing.length > 0) {
    throw new Error(
      `missing system packages for code-server: run  sudo apt-get install -y ${missing.join(" ")}`,
    );
  }
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  for (const file of ["package.json", "package-lock.json"])
    copyFileSync(join(scriptsDirectory, "code-server", file), join(directory, file));
  const seeded = seedRipgrepCache();
  try {
    const environment = {
      ...process.env,
      npm_config_yes: "true",
      npm_config_unsafe_perm: "true",
      npm_config_update_notifier: "false",
    };
    run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], { env: environment });
    run("npm", ["rebuild", "code-server", "argon2"], { env: environment });
  } finally {
    if (seeded !== null) rmSync(seeded, { recursive: true, force: true });
  }
  // --config inside the cache folder: code-server would otherwise write ~/.config/code-server/config.yaml.
  const version = spawnSync(
    process.execPath,
    [codeServerExecutable(directory), "--config", join(directory, "config.yaml"), "--version"],
    { encoding: "utf8" },
  );
  if (version.status !== 0 || !version.stdout.includes(`${CODE_SERVER_VERSION} `)) {
    throw new Error(`the installed code-server does not run: ${version.stderr || version.stdout}`);
  }
  writeFileSync(installedMarker(directory), `${CODE_SERVER_VERSION}\n`);
}

try {
  if (isInstalled()) {
    console.log(`install-code-server: code-server ${CODE_SERVER_VERSION} already in ${directory}`);
  } else {
    const started = performance.now();
    install();
    console.log(
      `install-code-server: code-server ${CODE_SERVER_VERSION} installed in ${directory} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
} catch (error) {
  console.error(`install-code-server: ${error.message}`);
  process.exit(1);
}
