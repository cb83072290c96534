#!/usr/bin/env node
// c-format.mjs - the C formatter of kernel/ and samples/: clang-format with the repository's .clang-format.
// `node scripts/c-format.mjs --check` (part of `npm run lint`, so CI) fails listing what is off and how to fix
// it; `--write` reformats in place (`npm run format`). Every .c and .h under those folders counts, except the
// build/ output folders. Uses only Node's standard library.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const FORMATTED_FOLDERS = ["kernel", "samples"];

function cSources(folder) {
  const entries = readdirSync(join(repositoryRoot, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.[ch]$/.test(entry.name))
    .map((entry) => relative(repositoryRoot, join(entry.parentPath, entry.name)))
    .filter((file) => !file.split("/").includes("build"))
    .sort();
}

const mode = process.argv[2];
if (mode !== "--check" && mode !== "--write") {
  console.error("usage: node scripts/c-format.mjs --check | --write");
  process.exit(2);
}
const files = FORMATTED_FOLDERS.flatMap(cSources);
const args = mode === "--check" ? ["--dry-run", "--Werror", ...files] : ["-i", ...files];
const result = spawnSync("clang-format", args, { cwd: repositoryRoot, stdio: "inherit" });
if (result.error) {
  console.error(
    `c-format: cannot run clang-format (${result.error.message}); install it: sudo apt-get install -y clang-format`,
  );
  process.exit(1);
}
if (result.status !== 0 && mode === "--check") {
  console.error(`c-format: the C files above are not formatted; run: npm run format`);
}
if (result.status === 0)
  console.log(`c-format: ${files.length} C files ${mode === "--check" ? "formatted" : "reformatted"}`);
process.exit(result.status ?? 1);
