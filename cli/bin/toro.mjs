#!/usr/bin/env node
// toro.mjs - the `toro` command as npm links it (this package's bin, so `npx toro` works from the repository).
// npm links bins at install time (`npm ci` runs before anything is compiled) and skips a bin whose file does
// not exist yet, so the bin is this plain-JavaScript file, which loads the compiled CLI (src/main.ts ->
// dist/main.js) and says how to build it when it is missing.

import { existsSync } from "node:fs";
import process from "node:process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const compiledCli = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
if (!existsSync(compiledCli)) {
  process.stderr.write("toro: the CLI is not built yet; run `npm run build` in the repository first\n");
  process.exit(1);
}
await import(pathToFileURL(compiledCli).href);
