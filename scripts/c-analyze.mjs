#!/usr/bin/env node
// c-analyze.mjs - static analysis of the C code (part of `npm run lint`, so CI): clang's analyzer
// (`clang-14 --analyze`, the checkers scan-build runs) over every .c file of kernel/ and samples/, with the
// kernel's freestanding flags, and over kernel/fuzz/ with the host flags it is built with. Passes only with zero
// findings; a finding that is wrong gets fixed in the code so the analyzer can see why (as in mm/page.c), or
// suppressed next to it with `#ifndef __clang_analyzer__` and a one-line reason. Pairs with c-format.mjs.
// Uses only Node's standard library.
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const ANALYZER = process.env.CLANG ?? "clang-14";
const KERNEL_FLAGS = [
  "-std=gnu11",
  "-Ikernel/include",
  "-ffreestanding",
  "-fno-pic",
  "-mno-red-zone",
  "-mgeneral-regs-only",
];
const HOST_FLAGS = ["-std=gnu11", "-Ikernel/include", "-include", "kernel/fuzz/host.h"];

function cSources(folder) {
  const entries = readdirSync(join(repositoryRoot, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".c"))
    .map((entry) => relative(repositoryRoot, join(entry.parentPath, entry.name)))
    .filter((file) => !file.split("/").includes("build"))
    .sort();
}

function analyze(file) {
  const flags = file.startsWith("kernel/fuzz/") ? HOST_FLAGS : KERNEL_FLAGS;
  const args = ["--analyze", "-Xanalyzer", "-analyzer-output=text", ...flags, "-o", "/dev/null", file];
  return new Promise((resolve) => {
    const child = spawn(ANALYZER, args, { cwd: repositoryRoot, stdio: ["ignore", "ignore", "pipe"] });
    let output = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) =>
      resolve({ file, output: `cannot run ${ANALYZER}: ${error.message}`, failed: true }),
    );
    child.on("close", (status) =>
      resolve({ file, output, failed: status !== 0 || /(warning|error):/.test(output) }),
    );
  });
}

const files = [...cSources("kernel"), ...cSources("samples")];
const results = [];
let next = 0;
async function worker() {
  while (next < files.length) results.push(await analyze(files[next++]));
}
await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
const failures = results.filter((result) => result.failed).sort((a, b) => a.file.localeCompare(b.file));
for (const failure of failures) process.stderr.write(failure.output);
if (failures.length) {
  console.error(
    `c-analyze: ${failures.length} of ${files.length} C files have findings (above); fix them, or suppress one ` +
      `with #ifndef __clang_analyzer__ and a one-line reason (install: sudo apt-get install -y clang-14)`,
  );
  process.exit(1);
}
console.log(`c-analyze: ${files.length} C files, no findings (${ANALYZER} --analyze)`);
