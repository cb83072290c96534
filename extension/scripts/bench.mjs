#!/usr/bin/env node
// bench.mjs - `npm run bench -w extension`: bundles test/bench/extension-bench.ts with esbuild (Node 20 runs
// no TypeScript) and runs it: the extension's rows of the project's benchmark table, measured in a real
// VS Code. Needs the .vsix (npm run package -w extension) and code-server (install-code-server.mjs).
// `node scripts/bench.mjs --only f5` measures the F5 rows alone (the arguments reach extension-bench.ts).
import * as esbuild from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const extensionRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundleDirectory = join(extensionRoot, "out", "bench-bundle");
const bundle = join(bundleDirectory, "extension-bench.cjs");

mkdirSync(bundleDirectory, { recursive: true });
await esbuild.build({
  entryPoints: [join(extensionRoot, "test", "bench", "extension-bench.ts")],
  outfile: bundle,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["playwright-core"],
  logLevel: "warning",
});
try {
  const { main } = await import(pathToFileURL(bundle).href);
  await main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
} finally {
  rmSync(bundleDirectory, { recursive: true, force: true });
}
