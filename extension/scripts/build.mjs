#!/usr/bin/env node
// build.mjs - bundles the extension with esbuild into dist/: extension.js (the extension host side, `vscode`
// external), adapter.js (the debug adapter, from debug-adapter/src/adapter.ts, run by adapter-factory.ts),
// stress-worker.js (the HTTP load generator `Toro: Stress with HTTP` forks) and webview/ (the monitor's and
// the timeline's client scripts and styles), after refreshing package.json's generated launch schema
// (sync-manifest.mjs). `--watch` rebuilds on change.
import * as esbuild from "esbuild";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const extensionRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(extensionRoot, "package.json"));
const adapterEntry = join(
  dirname(require.resolve("@toro-studio/debug-adapter/package.json")),
  "src",
  "adapter.ts",
);
/** The HTTP load generator `Toro: Stress with HTTP` forks (autocannon inside), from the CLI's workspace. */
const stressWorkerEntry = join(
  dirname(require.resolve("@toro-studio/cli/package.json")),
  "src",
  "stress",
  "stress-worker.ts",
);
const distribution = join(extensionRoot, "dist");
const watch = process.argv.includes("--watch");

if (!existsSync(adapterEntry)) {
  console.error(
    `build: the debug adapter's entry ${adapterEntry} does not exist (debug-adapter/src/adapter.ts)`,
  );
  process.exit(1);
}

/** Every bundle: source maps for stack traces, no minification (readable when debugging the extension). */
/** The adapter's package exports map the "source" condition to its TypeScript (debug-adapter/package.json). */
const common = {
  bundle: true,
  sourcemap: true,
  logLevel: "info",
  legalComments: "none",
  conditions: ["source"],
};

const bundles = [
  {
    ...common,
    entryPoints: [join(extensionRoot, "src", "extension.ts")],
    outfile: join(distribution, "extension.js"),
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["vscode"],
  },
  {
    ...common,
    entryPoints: [adapterEntry],
    outfile: join(distribution, "adapter.js"),
    platform: "node",
    format: "cjs",
    target: "node20",
  },
  {
    ...common,
    entryPoints: [stressWorkerEntry],
    outfile: join(distribution, "stress-worker.js"),
    platform: "node",
    format: "cjs",
    target: "node20",
  },
  {
    ...common,
    entryPoints: [join(extensionRoot, "src", "monitor", "client", "main.ts")],
    outfile: join(distribution, "webview", "monitor.js"),
    platform: "browser",
    format: "iife",
    target: "es2022",
  },
  {
    ...common,
    entryPoints: [join(extensionRoot, "src", "timeline", "client", "main.ts")],
    outfile: join(distribution, "webview", "timeline.js"),
    platform: "browser",
    format: "iife",
    target: "es2022",
  },
];

function copyWebviewStyles() {
  mkdirSync(join(distribution, "webview"), { recursive: true });
  copyFileSync(require.resolve("uplot/dist/uPlot.min.css"), join(distribution, "webview", "uPlot.min.css"));
  copyFileSync(
    join(extensionRoot, "src", "monitor", "client", "monitor.css"),
    join(distribution, "webview", "monitor.css"),
  );
  copyFileSync(
    join(extensionRoot, "src", "timeline", "client", "timeline.css"),
    join(distribution, "webview", "timeline.css"),
  );
}

// package.json's launch.json schema is generated from the adapter's argument declaration: refresh it first,
// so the bundle and the .vsix always carry the adapter's current schema (commit the change it reports).
const synced = spawnSync(process.execPath, [join(extensionRoot, "scripts", "sync-manifest.mjs")], {
  stdio: "inherit",
});
if (synced.status !== 0) process.exit(1);

rmSync(distribution, { recursive: true, force: true });
copyWebviewStyles();
if (watch) {
  for (const options of bundles) await (await esbuild.context(options)).watch();
  console.log("build: watching (Ctrl+C to stop)");
} else {
  const started = performance.now();
  await Promise.all(bundles.map((options) => esbuild.build(options)));
  console.log(`build: dist/ written in ${Math.round(performance.now() - started)} ms`);
}
