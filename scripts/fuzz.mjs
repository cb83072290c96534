#!/usr/bin/env node
// fuzz.mjs - `npm run fuzz`: builds the libFuzzer targets of kernel/fuzz/ (the kernel's network input path and
// the http-server sample's request parser, for the host with AddressSanitizer and UBSan), replays every kept
// regression input and seed once, then fuzzes each target for FUZZ_SECONDS (default 60; `--seconds N`) and
// prints executions, executions per second, coverage and crashes. Exit status 1 on any crash or failed replay.
// The working corpus grows in kernel/build/fuzz/corpus/ (not committed); crash inputs land in
// kernel/build/fuzz/crashes/: keep each, once fixed, in kernel/fuzz/regressions/<target>/.
// `--replay-only` only replays (fast, what a test of a fix runs). Uses only Node's standard library.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const fuzzFolder = join(repositoryRoot, "kernel", "fuzz");
const buildFolder = join(repositoryRoot, "kernel", "build", "fuzz");
const TARGETS = ["fuzz_frame", "fuzz_connection", "fuzz_http"];

function parseArguments(argv) {
  const options = { seconds: Number(process.env.FUZZ_SECONDS ?? 60), replayOnly: false, targets: TARGETS };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === "--seconds") options.seconds = Number(argv[++index]);
    else if (argument === "--replay-only") options.replayOnly = true;
    else if (argument === "--target") options.targets = [argv[++index]];
    else {
      console.error(`fuzz: unknown argument ${argument}`);
      console.error("usage: node scripts/fuzz.mjs [--seconds N] [--replay-only] [--target NAME]");
      process.exit(2);
    }
  }
  if (!Number.isInteger(options.seconds) || options.seconds < 1) {
    console.error(`fuzz: FUZZ_SECONDS / --seconds must be a whole number of seconds >= 1`);
    process.exit(2);
  }
  for (const target of options.targets)
    if (!TARGETS.includes(target)) {
      console.error(`fuzz: no target ${target} (expected one of ${TARGETS.join(", ")})`);
      process.exit(2);
    }
  return options;
}

function filesIn(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(folder, entry.name))
    .sort();
}

function build() {
  const result = spawnSync("make", ["-s", "-C", fuzzFolder, "-j2"], { stdio: "inherit" });
  if (result.error || result.status !== 0) {
    console.error(
      "fuzz: building kernel/fuzz failed (clang-14 and libclang-rt-14-dev: node scripts/setup.mjs)",
    );
    process.exit(1);
  }
}

/** Run each kept input once; libFuzzer exits non-zero on the first that crashes. */
function replay(target) {
  const inputs = [
    ...filesIn(join(fuzzFolder, "regressions", target)),
    ...filesIn(join(fuzzFolder, "corpus", target)),
  ];
  if (inputs.length === 0) return { inputs: 0, ok: true };
  const result = spawnSync(join(buildFolder, target), inputs, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) process.stderr.write(result.stderr.split("\n").slice(-60).join("\n"));
  return { inputs: inputs.length, ok: result.status === 0 };
}

/** Fuzz `target` for `seconds`; resolves with libFuzzer's final statistics. */
function fuzz(target, seconds) {
  const corpus = join(buildFolder, "corpus", target);
  const crashes = join(buildFolder, "crashes", target);
  mkdirSync(corpus, { recursive: true });
  mkdirSync(crashes, { recursive: true });
  const seeds = join(fuzzFolder, "corpus", target);
  const args = [
    `-max_total_time=${seconds}`,
    "-print_final_stats=1",
    "-timeout=5", // an input running 5 s is a hang: reported like a crash
    "-rss_limit_mb=2048",
    `-artifact_prefix=${crashes}/`,
    corpus,
    ...(existsSync(seeds) ? [seeds] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn(join(buildFolder, target), args, { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      log = (log + chunk).slice(-200_000);
    });
    child.on("close", (status) => {
      const value = (name) => {
        const match = new RegExp(`stat::${name}:\\s+(\\d+)`).exec(log);
        return match ? Number(match[1]) : 0;
      };
      const coverage = [...log.matchAll(/cov: (\d+) ft: (\d+) corp: (\d+)/g)].at(-1);
      const artifact = /Test unit written to (\S+)/.exec(log);
      resolve({
        target,
        status,
        executions: value("number_of_executed_units"),
        perSecond: value("average_exec_per_sec"),
        edges: coverage ? Number(coverage[1]) : 0,
        features: coverage ? Number(coverage[2]) : 0,
        corpus: coverage ? Number(coverage[3]) : 0,
        crash: status !== 0 ? (artifact?.[1] ?? "(no artifact)") : null,
        log,
      });
    });
  });
}

const options = parseArguments(process.argv.slice(2));
build();
let failed = false;
for (const target of options.targets) {
  const { inputs, ok } = replay(target);
  console.log(`fuzz: ${target}: replayed ${inputs} kept inputs: ${ok ? "ok" : "CRASH"}`);
  failed ||= !ok;
}
if (!options.replayOnly && !failed) {
  const rows = [];
  for (const target of options.targets) {
    const row = await fuzz(target, options.seconds);
    if (row.crash) {
      process.stderr.write(row.log.split("\n").slice(-80).join("\n"));
      failed = true;
    }
    rows.push(row);
  }
  console.log(`\nfuzz: ${options.seconds} s per target (AddressSanitizer + UBSan)`);
  console.log("target            executions  exec/s  edges  features  corpus  crashes");
  for (const row of rows)
    console.log(
      `${row.target.padEnd(16)} ${String(row.executions).padStart(11)} ${String(row.perSecond).padStart(7)} ` +
        `${String(row.edges).padStart(6)} ${String(row.features).padStart(9)} ${String(row.corpus).padStart(7)}  ` +
        (row.crash ? `1: ${row.crash}` : "0"),
    );
}
process.exit(failed ? 1 : 0);
